"""Cross-check: the datasheet capacities in devices.yaml against what nextpnr reports."""

from __future__ import annotations

import json
import subprocess

import pytest

from fpgaflow import toolchain
from fpgaflow.boards import devices

GOWIN = {"LUT4": "lut", "DFF": "ff", "BSRAM": "bram", "MULT18X18": "dsp", "RAM16SDP4": "lutram"}

# device key -> (nextpnr, args, {bel: (resource key)})
CHECKS = {
    "lfe5u-85f": ("nextpnr-ecp5", ["--85k"], {"TRELLIS_COMB": "lut", "TRELLIS_FF": "ff",
                                             "DP16KD": "bram", "MULT18X18D": "dsp"}),
    "lfe5u-25f": ("nextpnr-ecp5", ["--25k"], {"TRELLIS_COMB": "lut", "TRELLIS_FF": "ff",
                                             "DP16KD": "bram", "MULT18X18D": "dsp"}),
    "lfe5u-45f": ("nextpnr-ecp5", ["--45k"], {"TRELLIS_COMB": "lut", "TRELLIS_FF": "ff",
                                             "DP16KD": "bram", "MULT18X18D": "dsp"}),
    "ice40hx1k": ("nextpnr-ice40", ["--hx1k", "--package", "vq100"],
                  {"ICESTORM_LC": "lut", "ICESTORM_RAM": "bram"}),
    "ice40hx4k": ("nextpnr-ice40", ["--hx4k", "--package", "bg121"],
                  {"ICESTORM_LC": "lut", "ICESTORM_RAM": "bram", "SB_IO": "io"}),
    "lfe5u-12f": ("nextpnr-ecp5", ["--12k"], {"TRELLIS_COMB": "lut", "TRELLIS_FF": "ff",
                                             "DP16KD": "bram", "MULT18X18D": "dsp"}),
    "ice40hx8k": ("nextpnr-ice40", ["--hx8k", "--package", "ct256"],
                  {"ICESTORM_LC": "lut", "ICESTORM_RAM": "bram", "SB_IO": "io"}),
    "ice40up5k": ("nextpnr-ice40", ["--up5k", "--package", "sg48"],
                  {"ICESTORM_LC": "lut", "ICESTORM_RAM": "bram", "ICESTORM_DSP": "dsp",
                   "ICESTORM_SPRAM": "uram"}),
    # the newer open families: an empty constraint file, which their nextpnr requires
    "gw1nr-9": ("nextpnr-himbaechel-gowin", ["--device", "GW1NR-LV9QN88PC6/I5", "--vopt",
                "family=GW1N-9C", "--vopt", "cst=empty.cst"], GOWIN),
    "gw2ar-18": ("nextpnr-himbaechel-gowin", ["--device", "GW2AR-LV18QN88C8/I7", "--vopt",
                 "family=GW2A-18C", "--vopt", "cst=empty.cst"], GOWIN),
    "lifcl-40": ("nextpnr-nexus", ["--device", "LIFCL-40-9BG400C", "--pdc", "empty.pdc"],
                 {"OXIDE_COMB": "lut", "OXIDE_FF": "ff", "OXIDE_EBR": "bram", "MULT18_CORE": "dsp",
                  "LRAM_CORE": "uram", "RAMW": "lutram"}),
    "lcmxo2-1200hc": ("nextpnr-machxo2", ["--device", "LCMXO2-1200HC-4SG32C", "--lpf", "empty.lpf"],
                      {"TRELLIS_COMB": "lut", "TRELLIS_FF": "ff", "DP8KC": "bram",
                       "TRELLIS_RAMW": "lutram"}),
    "ccgm1a1": ("nextpnr-himbaechel-gatemate", ["--device", "CCGM1A1", "--vopt", "ccf=empty.ccf"],
                {"CPE_LT": "lut", "CPE_FF": "ff", "RAM_HALF": "bram", "GPIO": "io"}),
}

# parts sold as a smaller device on a larger die: the datasheet guarantees less than the
# die nextpnr places on (the HX4K is the 8K die, the LFE5U-12F the 25F die)
SMALLER_THAN_DIE = {"ice40hx4k", "lfe5u-12f"}

EMPTY = '{"creator": "fpgaflow test", "modules": {"top": {"attributes": {"top": "00000000000000000000000000000001"}, "ports": {}, "cells": {}, "netnames": {}}}}'


@pytest.mark.parametrize("key", sorted(CHECKS))
def test_catalog_matches_nextpnr(key, tmp_path):
    tool_name, args, bels = CHECKS[key]
    tool = toolchain.resolve(tool_name)
    (tmp_path / "empty.json").write_text(EMPTY)
    for ext in ("cst", "pdc", "lpf", "ccf"):
        (tmp_path / f"empty.{ext}").write_text("")
    proc = subprocess.run([tool.path, "--json", "empty.json", *args, "--report", "r.json",
                           *(["--lpf-allow-unconstrained"] if "ecp5" in tool_name else [])],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert (tmp_path / "r.json").exists(), proc.stderr[-2000:]
    util = json.loads((tmp_path / "r.json").read_text())["utilization"]
    dev = devices()[key]
    for bel, res in bels.items():
        cap = dev.capacity(res, args[args.index("--package") + 1] if "--package" in args else None)
        if key in SMALLER_THAN_DIE and res != "io":
            assert cap["count"] <= util[bel]["available"], (key, bel)
        else:
            assert util[bel]["available"] == cap["count"], (key, bel)
    assert set(bels.values()) >= {"lut", "bram"}       # every device checks at least these
    if key in SMALLER_THAN_DIE:
        assert dev.resources["lut"]["count"] < util[next(iter(bels))]["available"]


def test_every_open_device_is_cross_checked():
    assert {k for k, d in devices().items() if d.open} == set(CHECKS)


# iCE40 packages: nextpnr's package pin tables give each package's user I/O (SB_IO sites);
# HX1K TQ144 is the one where the datasheet (95) and nextpnr (96) differ: the datasheet's
ICE40_PACKAGES = [("ice40hx1k", "--hx1k", p) for p in ("vq100",)] + \
    [("ice40hx1k", "--lp1k", p) for p in ("cm36", "cm49", "cm81", "cm121", "qn84")] + \
    [("ice40hx8k", "--hx8k", p) for p in ("ct256", "cb132")] + \
    [("ice40hx8k", "--lp8k", p) for p in ("cm81", "cm121", "cm225")] + \
    [("ice40up5k", "--up5k", p) for p in ("sg48", "uwg30")]


@pytest.mark.parametrize("key,flag,package", ICE40_PACKAGES)
def test_ice40_package_io_matches_nextpnr(key, flag, package, tmp_path):
    tool = toolchain.resolve("nextpnr-ice40")
    (tmp_path / "empty.json").write_text(EMPTY)
    proc = subprocess.run([tool.path, "--json", "empty.json", flag, "--package", package,
                           "--report", "r.json"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)
    assert (tmp_path / "r.json").exists(), proc.stderr[-2000:]
    util = json.loads((tmp_path / "r.json").read_text())["utilization"]
    assert util["SB_IO"]["available"] == devices()[key].capacity("io", package)["count"]


# Gowin packages: the bonded pins of apycula's chip database (the database gowin_pack and
# nextpnr-himbaechel-gowin are built from) give each package's user I/O; nextpnr itself
# reports the die's IOB sites (276 on the GW1N-9C) whatever the package
GOWIN_PACKAGES = {"qn88p": "QFN88P", "qn88": "QFN88", "mg100p": "MBGA100P", "lq144p": "LQFP144P",
                  "eq144": "eLQFP144", "eq144p": "eLQFP144P", "eq176": "eLQFP176"}


@pytest.mark.parametrize("key,family,device", [("gw1nr-9", "GW1N-9C", "GW1NR-9C"),
                                               ("gw2ar-18", "GW2A-18C", "GW2AR-18C")])
def test_gowin_package_io_matches_apycula(key, family, device):
    import os

    import apycula
    from apycula import chipdb
    db = chipdb.load_chipdb(os.path.join(os.path.dirname(apycula.__file__),
                                         f"{family}.msgpack.xz"))
    pinout = db.pinout[device]
    dev = devices()[key]
    assert dev.packages
    for package, count in dev.packages.items():
        assert len(pinout[GOWIN_PACKAGES[package]]) == count["io"], package
    board_part = {"gw1nr-9": "GW1NR-LV9QN88PC6/I5", "gw2ar-18": "GW2AR-LV18QN88C8/I7"}[key]
    assert db.packages[board_part][0].lower().replace("qfn", "qn") in dev.packages
    assert dev.resources["io"]["count"] == len(pinout[db.packages[board_part][0]])
