"""The open flow for Lattice MachXO2 (and MachXO3): Yosys ``synth_lattice -family xo2``,
``nextpnr-machxo2``, Project Trellis' packer (YoWASP ships it as ``yowasp-xo2pack``: the
ecppack of Trellis with the MachXO2 database).

Device data (devices.yaml ``open``): ``device``, the part nextpnr-machxo2 takes
(``LCMXO2-1200HC-4SG32C``; ``nextpnr-machxo2 --list-devices`` lists the chip database,
which in YoWASP 0.11 has the XO2-1200/640 and XO3-4300/6900 parts). Pins: the core's LPF
(FuseSoC file type ``LPF``), else the board's ``pins:`` as ``LOCATE``/``IOBUF``. nextpnr
routes with ``--lpf-allow-unconstrained`` as on ECP5 and the bitstream stage refuses to
pack auto-placed pins unless ``allow_unconstrained``. Edalize has no MachXO2 backend, so no
FuseSoC tool's filesets or options are selected.
"""

from __future__ import annotations

from .. import toolchain
from . import _pnr


FAMILY = _pnr.Family(
    synth="synth_lattice -family xo2", nextpnr="nextpnr-machxo2",
    pnr_args=lambda d, board: ["--device", d["device"]],
    pins=("LPF", "pins.lpf", "--lpf {file}"), allow_unconstrained=("--lpf-allow-unconstrained",),
    routed=("--textcfg", "top.config"), routed_file="top.config",
    packer="xo2pack", pack_args=lambda d, routed, out: [routed, out], bitstream="top.bit")


fusesoc_tool = _pnr.fusesoc_tool_of(FAMILY)

FLOW = _pnr.flow(
    __name__, FAMILY, summary="Yosys + nextpnr-machxo2 + Trellis ecppack",
    families=("machxo2",),
    tools=(_pnr.nextpnr_spec("nextpnr-machxo2", "nextpnr-machxo2",
                             "Lattice MachXO2/XO3 place and route"),
           toolchain.ToolSpec("xo2pack", native="ecppack", yowasp="yowasp-xo2pack",
                              package="yowasp-nextpnr-machxo2",
                              purpose="MachXO2 bitstream packer (Trellis ecppack)")))
