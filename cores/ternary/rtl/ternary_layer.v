// Ternary-weight / low-precision-activation layer (Colangelo et al., Intel, FCCM 2018): a
// configuration of the MVAU (cores/mvau/rtl/mvau.v), kept as its own top for the recipes that
// name fpgaflow:nn:ternary.  Weights {-1, 0, +1} as 2-bit two's complement (01 = +1, 11 = -1,
// 00 = 0; the MVAU reads 10 as -2), unsigned ABITS-bit activations, add/subtract/skip in logic.
//   THRESH = 1 : 2**OBITS-1 thresholds per row, output = number of thresholds t with t < acc
//   THRESH = 0 : output = the accumulator
//   SCALE  = 1 : per-row scale + requantize + clip to OBITS unsigned bits (WRPN-style), see mvau.v
// Model: fpgaflow/models/ternary.py.
module ternary_layer #(
    parameter MW = 32,
    parameter MH = 16,
    parameter PE = 4,
    parameter SIMD = 8,
    parameter ABITS = 2,
    parameter OBITS = 2,
    parameter THRESH = 1,
    parameter SCALE = 0,
    parameter SCALEW = 8,
    parameter SHIFT = 8,
    parameter WEIGHT_FILE = "weights.hex",
    parameter THRESH_FILE = "thresh.hex",
    // derived; do not override
    parameter ACT = (SCALE != 0) ? 2 : (THRESH != 0) ? 0 : 1,
    parameter ACCW = $clog2(MW * 2 * ((1 << ABITS) - 1) + 1) + 1,
    parameter OW = (ACT == 1) ? ACCW : OBITS
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire [SIMD*ABITS-1:0] in_data,
    input  wire                  in_valid,
    output wire                  in_ready,
    output wire [PE*OW-1:0]      out_data,
    output wire                  out_valid,
    input  wire                  out_ready
);
    mvau #(.MW(MW), .MH(MH), .PE(PE), .SIMD(SIMD), .WBITS(2), .ABITS(ABITS), .ATYPE(0), .XNOR(0),
           .ACCW(ACCW), .ACT(ACT), .NTHR((1 << OBITS) - 1), .OBIAS(0), .OBITS(OBITS),
           .SCALEW(SCALEW), .SHIFT(SHIFT), .WEIGHT_FILE(WEIGHT_FILE), .THRESH_FILE(THRESH_FILE)) u (
        .clk(clk), .rst(rst), .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));
endmodule
