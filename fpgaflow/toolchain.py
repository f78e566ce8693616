"""Tool resolution: the one place that decides which executable runs.

What each tool is (its executable, the native versions accepted, its YoWASP build and
PyPI package, how to ask its version) is declared by the flows that run it
(``ToolSpec`` in ``fpgaflow.flows``; ``spec(name)`` asks the registry). A native
executable on PATH is used when its version satisfies the declaration, otherwise the
YoWASP build from PyPI. Vendor tools and simulators are looked up on PATH only. The result records name, version,
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
import shlex
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

# filelock and packaging are imported where they are used: reading the version cache (a
# build served from it, every plan) needs neither
CACHE_DIR = Path(os.environ.get("FPGAFLOW_CACHE_DIR", platformdirs.user_cache_dir("fpgaflow")))

@dataclass(frozen=True)
class ToolSpec:
    """What a flow declares about one tool it runs (``fpgaflow.flows.Flow.tools``).

    ``name`` is the logical name stages and summaries use; ``native`` the executable looked
    up on PATH (default: ``name``), accepted when its version satisfies ``native_spec`` (a
    ``packaging`` specifier, e.g. ``>=0.40``); otherwise ``yowasp`` (the executable of the
    YoWASP build, from the PyPI package ``package``). ``version_from`` names a Python
    distribution whose version is the tool's (tools that print none, e.g. apycula's
    ``gowin_pack``). ``vendor`` tools are looked up on PATH only.
    """
    name: str
    native: str | None = None
    native_spec: str = ""
    yowasp: str | None = None
    package: str | None = None
    version_args: tuple[str, ...] = ("--version",)
    version_from: str | None = None
    vendor: bool = False
    purpose: str = ""

    @property
    def executable(self) -> str:
        return self.native or self.name

    def accepts_native(self, version: str) -> bool:
        if not self.native_spec:
            return True
        from packaging.specifiers import SpecifierSet
        from packaging.version import InvalidVersion, Version
        try:
            return Version(".".join(map(str, version_tuple(version))) or "0") in \
                SpecifierSet(self.native_spec)
        except InvalidVersion:
            return False

    @property
    def install_hint(self) -> str:
        if self.package:
            return f"pip install {self.package}"
        return self.purpose or f"put {self.executable} on PATH"


def spec(name: str) -> ToolSpec:
    """The declaration of a tool, from the flow registry (a plain PATH tool when undeclared)."""
    from .flows import registry
    return registry().tools().get(name) or ToolSpec(name)


def __getattr__(attr: str):
    if attr == "YOWASP":   # logical name -> YoWASP executable, for the tools that have one
        from .flows import registry
        return {n: t.yowasp for n, t in registry().tools().items() if t.yowasp}
    raise AttributeError(attr)


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
    t = spec(name)
    if not t.package:
        return False
    root = Path(os.environ.get("YOWASP_CACHE_DIR",
                               platformdirs.user_cache_dir("YoWASP", appauthor=False)))
    pkg_dir = root / t.package.replace("-", "_")
    return not pkg_dir.is_dir() or not any(p.is_file() for p in pkg_dir.rglob("*"))


def _probe(name: str, path: str, announce) -> str:
    """The version of the executable at ``path`` (cached on path, size and mtime)."""
    t = spec(name)
    if t.version_from:
        from importlib.metadata import PackageNotFoundError, version
        try:
            return version(t.version_from)
        except PackageNotFoundError:
            pass
    st = os.stat(path)
    key = f"{path}|{st.st_size}|{st.st_mtime_ns}"
    cache = _read_cache()
    if key in cache:
        return cache[key]
    args = list(t.version_args)
    if Path(path).name.startswith("yowasp-"):
        from filelock import FileLock
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
    """The executable for a logical tool name, or None when it is nowhere to be found.

    ``FPGAFLOW_<NAME>`` (e.g. ``FPGAFLOW_NEXTPNR_ECP5``) names the executable to use."""
    forced = os.environ.get(f"FPGAFLOW_{name.upper().replace('-', '_').replace('+', 'X')}")
    if forced:
        path = shutil.which(forced) or forced
        if not os.path.exists(path):
            return None
        via = "yowasp" if Path(path).name.startswith("yowasp-") else "native"
        return Tool(name, path, _probe(name, path, announce), via)
    t = spec(name)
    native = shutil.which(t.executable) if allow_native or not t.yowasp else None
    if native:
        version = _probe(name, native, announce)
        if not t.yowasp or t.accepts_native(version):
            return Tool(name, native, version, "vendor" if t.vendor else "native")
    if t.yowasp:
        wasm = shutil.which(t.yowasp)
        if wasm:
            return Tool(name, wasm, _probe(name, wasm, announce), "yowasp")
    return None


# IceStorm/Trellis helper programs that FuseSoC generators call by name (fusesoc-generators'
# icepll, servant's and corescore's ice40pll, ecppll wrappers); YoWASP ships them as yowasp-X
GENERATOR_TOOLS = ("icepll", "ecppll", "icebram", "ecpbram")


def generator_path() -> str | None:
    """The PATH to run FuseSoC generators with, or None when nothing needs adding.

    A generator runs ``icepll``; with only YoWASP installed there is ``yowasp-icepll`` and
    no ``icepll``. For each such tool a two-line launcher named as the generator calls it
    is kept in ``CACHE_DIR/generator-bin`` (stale ones removed), put first on the PATH
    returned. The caller hands it to the generators' process; nothing here changes
    ``os.environ``."""
    wanted = {}
    for t in GENERATOR_TOOLS:
        if shutil.which(t):
            continue
        wasm = shutil.which(f"yowasp-{t}")
        if wasm:
            wanted[t] = f"#!/bin/sh\nexec {shlex.quote(wasm)} \"$@\"\n"
    if not wanted:
        return None
    d = CACHE_DIR / "generator-bin"
    d.mkdir(parents=True, exist_ok=True)
    for old in d.iterdir():
        if old.name not in wanted:
            old.unlink(missing_ok=True)
    for t, text in wanted.items():
        f = d / t
        if not f.is_file() or f.read_text() != text:
            tmp = d / f".{t}.{os.getpid()}.tmp"
            tmp.write_text(text)
            tmp.chmod(0o755)
            os.replace(tmp, f)
    return os.pathsep.join([str(d), os.environ.get("PATH", "")])


def report(names: list[str]) -> list[dict]:
    """What `fpgaflow doctor` shows: for each tool, what was found (or not)."""
    rows = []
    for name in names:
        t = spec(name)
        tool = resolve(name, announce=_default_announce)
        row = {"name": name, "found": tool is not None}
        if tool:
            row.update(tool.record())
        else:
            row["hint"] = t.install_hint
        if t.yowasp:
            native = shutil.which(t.executable)
            if native and (tool is None or tool.path != native):
                v = _probe(name, native, None)
                row["note"] = f"native {native} is {v}, not {t.native_spec}: using YoWASP"
            if shutil.which(t.yowasp):
                row["yowasp_cold"] = yowasp_is_cold(name)
        rows.append(row)
    return rows
