// Testbench for mvau: the shared stream driver/checker (fpgaflow:nn:stream_tb, stream_tb.v) streams
// in.txt through the DUT, compares every output beat with exp.txt (both written by
// `python -m fpgaflow.models.mvau vectors .`) and prints exactly one line
//   FPGAFLOW_SIM vectors=<N> mismatches=<M> cycles_per_item=<C>
// STALL=1 adds random input gaps and output back-pressure (cycles then not meaningful).
`timescale 1ns / 1ps
module mvau_tb;
    parameter MW = 32;
    parameter MH = 16;
    parameter PE = 4;
    parameter SIMD = 8;
    parameter WBITS = 1;
    parameter ABITS = 1;
    parameter ATYPE = 2;
    parameter XNOR = 1;
    parameter ACCW = 0;
    parameter ACT = 0;
    parameter NTHR = 1;
    parameter integer OBIAS = 0;
    parameter OBITS = 1;
    parameter SCALEW = 8;
    parameter SHIFT = 8;
    parameter STALL = 0;
    parameter WEIGHT_FILE = "weights.hex";
    parameter THRESH_FILE = "thresh.hex";

    localparam WMAX = (WBITS == 1) ? 1 : (1 << (WBITS - 1));
    localparam AMAX = (ATYPE == 0) ? ((1 << ABITS) - 1) : (ATYPE == 1) ? (1 << (ABITS - 1)) : 1;
    localparam AW_ = (ACCW != 0) ? ACCW : $clog2(MW * WMAX * AMAX + 1) + 1;
    localparam OW = (ACT == 1) ? AW_ : OBITS;
    localparam IW = SIMD * ABITS;

    wire clk, rst, in_valid, in_ready, out_valid, out_ready;
    wire [IW-1:0]    in_data;
    wire [PE*OW-1:0] out_data;

    mvau #(.MW(MW), .MH(MH), .PE(PE), .SIMD(SIMD), .WBITS(WBITS), .ABITS(ABITS), .ATYPE(ATYPE),
           .XNOR(XNOR), .ACCW(ACCW), .ACT(ACT), .NTHR(NTHR), .OBIAS(OBIAS), .OBITS(OBITS),
           .SCALEW(SCALEW), .SHIFT(SHIFT), .WEIGHT_FILE(WEIGHT_FILE), .THRESH_FILE(THRESH_FILE)) dut (
        .clk(clk), .rst(rst),
        .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));

    stream_tb #(.IN_W(IW), .LANES(PE), .LANE_W(OW), .IN_BEATS(MW / SIMD), .OUT_BEATS(MH / PE),
                .STALL(STALL)) tb (
        .clk(clk), .rst(rst),
        .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));
endmodule
