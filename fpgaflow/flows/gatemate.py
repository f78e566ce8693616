"""The open flow for Cologne Chip GateMate: Yosys ``synth_gatemate``, nextpnr
himbaechel's ``gatemate`` micro-architecture, Project Peppercorn's ``gmpack``.

Device data (devices.yaml ``open``): ``device``, the die nextpnr takes (``CCGM1A1``).
Pins go to a CCF (``Net "clk" Loc = "IO_SB_A8";``). nextpnr writes the textual
configuration (``--vopt out=top.txt``) that gmpack turns into the bitstream.
``post_synth.ys`` runs Yosys ``autoname`` so the clock net nextpnr reports is named
after its port (``clk_CC_IBUF_I_Y_CC_BUFG_I_O``), not ``$abc$...``.
"""

from __future__ import annotations

from .. import toolchain
from . import _pnr


ccf = _pnr.constraint_writer(
    lambda p: f'Net "{p.port}" Loc = "{p.pin}"' + "".join(f" | {k}={v}" for k, v in p.attrs.items())
    + ";")


FAMILY = _pnr.Family(
    synth="synth_gatemate", nextpnr="nextpnr-himbaechel-gatemate",
    pnr_args=lambda d, board: ["--device", d["device"]],
    constraints=("pins.ccf", "--vopt ccf={file}", ccf),
    routed=("--vopt", "out=top.txt"), routed_file="top.txt",
    packer="gmpack", pack_args=lambda d, routed, out: [routed, out], bitstream="top.bit",
    post_synth=("read_json netlist.json", "autoname", "write_json netlist.json"))


FLOW = _pnr.flow(
    __name__, FAMILY, summary="Yosys + nextpnr-himbaechel (gatemate) + gmpack",
    families=("gatemate",),
    tools=(_pnr.nextpnr_spec("nextpnr-himbaechel-gatemate", "nextpnr-himbaechel",
                             "GateMate place and route"),
           toolchain.ToolSpec("gmpack", yowasp="yowasp-gmpack",
                              package="yowasp-nextpnr-himbaechel-gatemate",
                              purpose="GateMate bitstream packer")))
