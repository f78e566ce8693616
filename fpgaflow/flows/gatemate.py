"""The open flow for Cologne Chip GateMate: Yosys ``synth_gatemate -luttree -nomx8``,
nextpnr himbaechel's ``gatemate`` micro-architecture, Project Peppercorn's ``gmpack``.

``-luttree -nomx8``: the cells nextpnr-himbaechel-gatemate places (CC_L2T4/CC_L2T5 LUT
trees, CC_MX2/CC_MX4). Plain ``synth_gatemate`` (Yosys 0.70) also writes CC_LUT4 and
CC_MX8, which nextpnr 0.11.1 refuses ("Cell type 'CC_LUT4' is unsupported", measured on
a design with a 512x16 RAM and a multiplier; blinky happened to need none).

Device data (devices.yaml ``open``): ``device``, the die nextpnr takes (``CCGM1A1``).
Pins: the core's CCF (FuseSoC file type ``CCF``, as Edalize's gatemate backend takes
it), else the board's ``pins:`` as ``Net "clk" Loc = "IO_SB_A8";``. An unconstrained port
is an error in nextpnr-himbaechel-gatemate, and its override (``--vopt allow-unconstrained``)
crashes YoWASP's 0.11.1 on any unconstrained output (measured: a wasm out-of-bounds trap
in the placer; an unconstrained input goes through). So, as on Gowin and Nexus, the
constraints stage stops first, naming the ports, and ``allow_unconstrained`` is refused.
nextpnr writes the textual
configuration (``--vopt out=top.txt``) that gmpack turns into the bitstream.
``post_synth.ys`` runs Yosys ``autoname`` so the clock net nextpnr reports is named
after its port (``clk_CC_IBUF_I_Y_CC_BUFG_I_O``), not ``$abc$...``.
"""

from __future__ import annotations

from .. import toolchain
from . import _pnr


FAMILY = _pnr.Family(
    synth="synth_gatemate -luttree -nomx8", nextpnr="nextpnr-himbaechel-gatemate",
    pnr_args=lambda d, board: ["--device", d["device"]],
    pins=("CCF", "pins.ccf", "--vopt ccf={file}"), fusesoc_tool="gatemate",
    routed=("--vopt", "out=top.txt"), routed_file="top.txt",
    packer="gmpack", pack_args=lambda d, routed, out: [routed, out], bitstream="top.bit",
    post_synth=("read_json netlist.json", "autoname", "write_json netlist.json"))


fusesoc_tool = _pnr.fusesoc_tool_of(FAMILY)

FLOW = _pnr.flow(
    __name__, FAMILY, summary="Yosys + nextpnr-himbaechel (gatemate) + gmpack",
    families=("gatemate",),
    tools=(_pnr.nextpnr_spec("nextpnr-himbaechel-gatemate", "nextpnr-himbaechel",
                             "GateMate place and route"),
           toolchain.ToolSpec("gmpack", yowasp="yowasp-gmpack",
                              package="yowasp-nextpnr-himbaechel-gatemate",
                              purpose="GateMate bitstream packer")))
