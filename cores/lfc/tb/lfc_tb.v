// Testbench for lfc: the shared stream driver/checker (fpgaflow:nn:stream_tb, stream_tb.v) streams
// in.txt through the DUT, compares every output beat with exp.txt (both written by
// `python -m fpgaflow.models.lfc vectors .`) and prints exactly one line
//   FPGAFLOW_SIM vectors=<N> mismatches=<M> cycles_per_item=<C>
// STALL=1 adds random input gaps and output back-pressure (cycles then not meaningful).
`timescale 1ns / 1ps
module lfc_tb;
    parameter IN = 64;
    parameter HID = 32;
    parameter OUT = 16;
    parameter ABITS = 1;
    parameter ACCW = 16;
    parameter L0_PE = 8;
    parameter L0_SIMD = 16;
    parameter L1_PE = 16;
    parameter L1_SIMD = 8;
    parameter L2_PE = 8;
    parameter L2_SIMD = 8;
    parameter L3_PE = 2;
    parameter L3_SIMD = 16;
    parameter STALL = 0;

    localparam OW = 1;                      // last layer: one thresholded bit per class
    localparam SF = IN / L0_SIMD;
    localparam NF = OUT / L3_PE;

    wire clk, rst, in_valid, in_ready, out_valid, out_ready;
    wire [L0_SIMD-1:0]  in_data;
    wire [L3_PE*OW-1:0] out_data;

    lfc #(.IN(IN), .HID(HID), .OUT(OUT), .ABITS(ABITS), .ACCW(ACCW), .L0_PE(L0_PE), .L0_SIMD(L0_SIMD),
          .L1_PE(L1_PE), .L1_SIMD(L1_SIMD), .L2_PE(L2_PE), .L2_SIMD(L2_SIMD), .L3_PE(L3_PE),
          .L3_SIMD(L3_SIMD)) dut (
        .clk(clk), .rst(rst),
        .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));

    // four layers in a pipeline: a longer timeout than a single layer's default
    stream_tb #(.IN_W(L0_SIMD), .LANES(L3_PE), .LANE_W(OW), .IN_BEATS(SF), .OUT_BEATS(NF),
                .STALL(STALL), .TIMEOUT(2000 + 8 * 1000 * SF * NF * 64)) tb (
        .clk(clk), .rst(rst),
        .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));
endmodule
