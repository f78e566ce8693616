"""YAML loading that remembers where each key was written.

``load(path)`` returns plain dicts/lists, except that every mapping is a ``Located``
dict that knows the line of each of its keys (``m.line_of("clocks")``). Recipe, board
and sweep validation use it to name file, line and key in their errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import FpgaflowError


class Located(dict):
    """A dict that remembers the source line of the mapping and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: ~10x faster
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    out = Located()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)):
            raise FpgaflowError("mapping keys must be plain scalars", line=key_node.start_mark.line + 1)
        key = str(key) if not isinstance(key, str) else key
        if key in out:
            raise FpgaflowError(f"key {key!r} appears twice", line=key_node.start_mark.line + 1,
                                key=key)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def loads(text: str, file: str = "<string>") -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except FpgaflowError as exc:
        exc.file = file
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FpgaflowError(f"not valid YAML: {exc.problem or exc.context}", file=file,
                            line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise FpgaflowError(f"not valid YAML: {exc}", file=file) from None


def load(path: str | Path) -> Any:
    p = Path(path)
    try:
        text = p.read_text()
    except FileNotFoundError:
        raise FpgaflowError("file not found", file=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FpgaflowError(f"cannot read: {exc}", file=str(p)) from None
    return loads(text, file=str(p))
