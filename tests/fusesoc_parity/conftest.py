from ._fusesoc import shim_path  # noqa: F401 - the fixture
