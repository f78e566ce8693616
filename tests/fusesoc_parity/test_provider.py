"""A core whose sources come from a ``provider:`` (fusesoc-cores' library cores: uart16550,
cdc_utils, ... name a GitHub archive) cannot be built where the download fails; the build
says so, exit 2, and what to do instead of only FuseSoC's download error."""

from __future__ import annotations

from ._fusesoc import fpgaflow_build as _build

CORE = """CAPI=2:
name: fpgaflow-test:fusesoc:tprovider:1.0
filesets:
  rtl: {files: [rtl/x.v], file_type: verilogSource}
targets:
  default: {filesets: [rtl], toplevel: x}
provider:
  name: url
  url: http://127.0.0.1:9/tprovider-1.0.tar.gz
  filetype: tar
"""


def test_a_provider_that_cannot_download_is_exit_2_with_a_way_out(tmp_path, monkeypatch):
    cores = tmp_path / "cores" / "tprovider"
    cores.mkdir(parents=True)
    (cores / "tprovider.core").write_text(CORE)
    monkeypatch.setenv("FPGAFLOW_CORES", str(tmp_path / "cores"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))   # FuseSoC's fetch cache
    proc = _build(tmp_path, "core: fpgaflow-test:fusesoc:tprovider\nboard: icebreaker\n"
                            "stages: [synth]\n", "--dry-run")
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "r.yaml:1: core:" in proc.stderr and "127.0.0.1:9" in proc.stderr
    assert "`provider:` downloads the sources" in proc.stderr
    assert "fusesoc library add" in proc.stderr
