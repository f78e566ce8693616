// FINN's LFC as BNN-PYNQ's lfcW1A1 / lfcW1A2 (bnn/src/network/lfc*/hw/top.cpp): IN -> HID -> HID ->
// HID -> OUT, four MVAU layers (cores/mvau) with per-layer PE/SIMD, a width converter to the next
// layer's SIMD and a FIFO holding two input vectors of the next layer.  16-bit accumulators
// (ap_int<16>) and FINN thresholds (t < acc) in every layer, the last one included: one bit per
// class, which the host decodes as round(log2(bits)).
//   ABITS = 1 (lfcW1A1): XNOR popcount everywhere, one threshold, binary activations.
//   ABITS = 2 (lfcW1A2): layer 0 binary pixels times binary weights (+-1 products), layers 1-3
//     signed 2-bit activations times binary weights; hidden layers two thresholds + bias -1
//     (outputs -1/0/+1), the last one threshold (one bit).
// Full size as published: IN=832 (784 pixels padded), HID=1024, OUT=64 (10 classes padded),
// PE/SIMD 32/64, 64/32, 32/64, 16/8.  Input: L0_SIMD pixel bits per beat.  Output: L3_PE bits per
// beat, OUT/L3_PE beats per image.  Throughput: one image per max_i(MW_i/SIMD_i * MH_i/PE_i) cycles.
module lfc #(
    parameter IN = 64,
    parameter HID = 32,
    parameter OUT = 16,
    parameter ABITS = 1,
    parameter ACCW = 16,
    parameter L0_PE = 8,
    parameter L0_SIMD = 16,
    parameter L1_PE = 16,
    parameter L1_SIMD = 8,
    parameter L2_PE = 8,
    parameter L2_SIMD = 8,
    parameter L3_PE = 2,
    parameter L3_SIMD = 16,
    parameter W0_FILE = "l0_weights.hex",
    parameter T0_FILE = "l0_thresh.hex",
    parameter W1_FILE = "l1_weights.hex",
    parameter T1_FILE = "l1_thresh.hex",
    parameter W2_FILE = "l2_weights.hex",
    parameter T2_FILE = "l2_thresh.hex",
    parameter W3_FILE = "l3_weights.hex",
    parameter T3_FILE = "l3_thresh.hex"
) (
    input  wire               clk,
    input  wire               rst,
    input  wire [L0_SIMD-1:0] in_data,
    input  wire               in_valid,
    output wire               in_ready,
    output wire [L3_PE-1:0]   out_data,
    output wire               out_valid,
    input  wire               out_ready
);
    localparam A2 = (ABITS == 2);
    localparam XN = A2 ? 0 : 1;            // Recast<XnorMul> (W1A1) or Binary products (W1A2)
    localparam HT = A2 ? 2 : 1;            // thresholds of a hidden layer
    localparam HB = A2 ? -1 : 0;           // their bias (ActVal)
    localparam HA = A2 ? 1 : 2;            // hidden activation type: signed (A2) or bipolar bits
    localparam D0 = (1 << $clog2(2 * (HID / L1_SIMD)));   // two images of layer 1 input
    localparam D1 = (1 << $clog2(2 * (HID / L2_SIMD)));   // two images of layer 2 input
    localparam D2 = (1 << $clog2(2 * (HID / L3_SIMD)));   // two images of layer 3 input

    // ---- layer 0: IN binary pixels -> HID activations
    wire [L0_PE*ABITS-1:0] m0_d;  wire m0_v, m0_r;
    wire [L1_SIMD*ABITS-1:0] f0_d; wire f0_v, f0_r;
    wire [L1_SIMD*ABITS-1:0] c0_d; wire c0_v, c0_r;
    mvau #(.MW(IN), .MH(HID), .PE(L0_PE), .SIMD(L0_SIMD), .WBITS(1), .ABITS(1), .ATYPE(2),
           .XNOR(XN), .ACCW(ACCW), .ACT(0), .NTHR(HT), .OBIAS(HB), .OBITS(ABITS),
           .WEIGHT_FILE(W0_FILE), .THRESH_FILE(T0_FILE)) l0 (
        .clk(clk), .rst(rst), .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data(m0_d), .out_valid(m0_v), .out_ready(m0_r));
    stream_dwc #(.IW(L0_PE*ABITS), .OW(L1_SIMD*ABITS)) w0 (
        .clk(clk), .rst(rst), .in_data(m0_d), .in_valid(m0_v), .in_ready(m0_r),
        .out_data(f0_d), .out_valid(f0_v), .out_ready(f0_r));
    stream_fifo #(.WIDTH(L1_SIMD*ABITS), .DEPTH(D0)) q0 (
        .clk(clk), .rst(rst), .in_data(f0_d), .in_valid(f0_v), .in_ready(f0_r),
        .out_data(c0_d), .out_valid(c0_v), .out_ready(c0_r));

    // ---- layer 1
    wire [L1_PE*ABITS-1:0] m1_d;  wire m1_v, m1_r;
    wire [L2_SIMD*ABITS-1:0] f1_d; wire f1_v, f1_r;
    wire [L2_SIMD*ABITS-1:0] c1_d; wire c1_v, c1_r;
    mvau #(.MW(HID), .MH(HID), .PE(L1_PE), .SIMD(L1_SIMD), .WBITS(1), .ABITS(ABITS), .ATYPE(HA),
           .XNOR(XN), .ACCW(ACCW), .ACT(0), .NTHR(HT), .OBIAS(HB), .OBITS(ABITS),
           .WEIGHT_FILE(W1_FILE), .THRESH_FILE(T1_FILE)) l1 (
        .clk(clk), .rst(rst), .in_data(c0_d), .in_valid(c0_v), .in_ready(c0_r),
        .out_data(m1_d), .out_valid(m1_v), .out_ready(m1_r));
    stream_dwc #(.IW(L1_PE*ABITS), .OW(L2_SIMD*ABITS)) w1 (
        .clk(clk), .rst(rst), .in_data(m1_d), .in_valid(m1_v), .in_ready(m1_r),
        .out_data(f1_d), .out_valid(f1_v), .out_ready(f1_r));
    stream_fifo #(.WIDTH(L2_SIMD*ABITS), .DEPTH(D1)) q1 (
        .clk(clk), .rst(rst), .in_data(f1_d), .in_valid(f1_v), .in_ready(f1_r),
        .out_data(c1_d), .out_valid(c1_v), .out_ready(c1_r));

    // ---- layer 2
    wire [L2_PE*ABITS-1:0] m2_d;  wire m2_v, m2_r;
    wire [L3_SIMD*ABITS-1:0] f2_d; wire f2_v, f2_r;
    wire [L3_SIMD*ABITS-1:0] c2_d; wire c2_v, c2_r;
    mvau #(.MW(HID), .MH(HID), .PE(L2_PE), .SIMD(L2_SIMD), .WBITS(1), .ABITS(ABITS), .ATYPE(HA),
           .XNOR(XN), .ACCW(ACCW), .ACT(0), .NTHR(HT), .OBIAS(HB), .OBITS(ABITS),
           .WEIGHT_FILE(W2_FILE), .THRESH_FILE(T2_FILE)) l2 (
        .clk(clk), .rst(rst), .in_data(c1_d), .in_valid(c1_v), .in_ready(c1_r),
        .out_data(m2_d), .out_valid(m2_v), .out_ready(m2_r));
    stream_dwc #(.IW(L2_PE*ABITS), .OW(L3_SIMD*ABITS)) w2 (
        .clk(clk), .rst(rst), .in_data(m2_d), .in_valid(m2_v), .in_ready(m2_r),
        .out_data(f2_d), .out_valid(f2_v), .out_ready(f2_r));
    stream_fifo #(.WIDTH(L3_SIMD*ABITS), .DEPTH(D2)) q2 (
        .clk(clk), .rst(rst), .in_data(f2_d), .in_valid(f2_v), .in_ready(f2_r),
        .out_data(c2_d), .out_valid(c2_v), .out_ready(c2_r));

    // ---- layer 3: one threshold per class, one bit out
    mvau #(.MW(HID), .MH(OUT), .PE(L3_PE), .SIMD(L3_SIMD), .WBITS(1), .ABITS(ABITS), .ATYPE(HA),
           .XNOR(XN), .ACCW(ACCW), .ACT(0), .NTHR(1), .OBIAS(0), .OBITS(1),
           .WEIGHT_FILE(W3_FILE), .THRESH_FILE(T3_FILE)) l3 (
        .clk(clk), .rst(rst), .in_data(c2_d), .in_valid(c2_v), .in_ready(c2_r),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));
endmodule
