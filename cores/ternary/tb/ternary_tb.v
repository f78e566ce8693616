// Testbench for ternary_layer: the shared stream driver/checker (fpgaflow:nn:stream_tb) against
// the files of `python -m fpgaflow.models.ternary vectors .`; prints one FPGAFLOW_SIM line.
`timescale 1ns / 1ps
module ternary_tb;
    parameter MW = 32, MH = 16, PE = 4, SIMD = 8, ABITS = 2, OBITS = 2;
    parameter THRESH = 1, SCALE = 0, SCALEW = 8, SHIFT = 8, STALL = 0;
    localparam ACT = (SCALE != 0) ? 2 : (THRESH != 0) ? 0 : 1;
    localparam OW = (ACT == 1) ? $clog2(MW * 2 * ((1 << ABITS) - 1) + 1) + 1 : OBITS;
    wire clk, rst, iv, ir, ov, ordy;
    wire [SIMD*ABITS-1:0] id;
    wire [PE*OW-1:0] od;
    ternary_layer #(.MW(MW), .MH(MH), .PE(PE), .SIMD(SIMD), .ABITS(ABITS), .OBITS(OBITS),
                    .THRESH(THRESH), .SCALE(SCALE), .SCALEW(SCALEW), .SHIFT(SHIFT))
        dut (clk, rst, id, iv, ir, od, ov, ordy);
    stream_tb #(.IN_W(SIMD * ABITS), .LANES(PE), .LANE_W(OW), .IN_BEATS(MW / SIMD),
                .OUT_BEATS(MH / PE), .STALL(STALL)) tb (clk, rst, id, iv, ir, od, ov, ordy);
endmodule
