// Fully connected binarized network in the shape of FINN's LFC (BNN-PYNQ lfcW1A1/W1A2):
// IN -> HID -> HID -> HID -> OUT, four MVAU layers (cores/mvau) with per-layer PE/SIMD, a width
// converter to the next layer's SIMD and a FIFO holding two input vectors of the next layer.
// Layers 0..2 threshold to ABITS-bit activations (1 = binary), layer 3 outputs its accumulators
// (FINN's pass-through last layer).  Full size as published: IN=832 (784 pixels padded),
// HID=1024, OUT=64 (10 classes padded), PE/SIMD 32/64, 64/32, 32/64, 16/8.
// Input: binary pixels, L0_SIMD per beat.  Output: L3_PE accumulators (ACC3 bits each) per beat,
// OUT/L3_PE beats per image.  Throughput: one image per max_i(MW_i/SIMD_i * MH_i/PE_i) cycles.
module lfc #(
    parameter IN = 64,
    parameter HID = 32,
    parameter OUT = 16,
    parameter ABITS = 1,
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
    // derived; do not override
    parameter ACC3 = $clog2(HID * ((1 << ABITS) - 1) + 1) + 1
) (
    input  wire                clk,
    input  wire                rst,
    input  wire [L0_SIMD-1:0]  in_data,
    input  wire                in_valid,
    output wire                in_ready,
    output wire [L3_PE*ACC3-1:0] out_data,
    output wire                out_valid,
    input  wire                out_ready
);
    localparam D0 = (1 << $clog2(2 * (HID / L1_SIMD)));   // two images of layer 1 input
    localparam D1 = (1 << $clog2(2 * (HID / L2_SIMD)));   // two images of layer 2 input
    localparam D2 = (1 << $clog2(2 * (HID / L3_SIMD)));   // two images of layer 3 input

    // ---- layer 0: IN binary pixels -> HID activations
    wire [L0_PE*ABITS-1:0] m0_d;  wire m0_v, m0_r;
    wire [L1_SIMD*ABITS-1:0] f0_d; wire f0_v, f0_r;
    wire [L1_SIMD*ABITS-1:0] c0_d; wire c0_v, c0_r;
    mvau #(.MW(IN), .MH(HID), .PE(L0_PE), .SIMD(L0_SIMD), .ABITS(1), .OBITS(ABITS), .NOACT(0),
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
    mvau #(.MW(HID), .MH(HID), .PE(L1_PE), .SIMD(L1_SIMD), .ABITS(ABITS), .OBITS(ABITS), .NOACT(0),
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
    mvau #(.MW(HID), .MH(HID), .PE(L2_PE), .SIMD(L2_SIMD), .ABITS(ABITS), .OBITS(ABITS), .NOACT(0),
           .WEIGHT_FILE(W2_FILE), .THRESH_FILE(T2_FILE)) l2 (
        .clk(clk), .rst(rst), .in_data(c1_d), .in_valid(c1_v), .in_ready(c1_r),
        .out_data(m2_d), .out_valid(m2_v), .out_ready(m2_r));
    stream_dwc #(.IW(L2_PE*ABITS), .OW(L3_SIMD*ABITS)) w2 (
        .clk(clk), .rst(rst), .in_data(m2_d), .in_valid(m2_v), .in_ready(m2_r),
        .out_data(f2_d), .out_valid(f2_v), .out_ready(f2_r));
    stream_fifo #(.WIDTH(L3_SIMD*ABITS), .DEPTH(D2)) q2 (
        .clk(clk), .rst(rst), .in_data(f2_d), .in_valid(f2_v), .in_ready(f2_r),
        .out_data(c2_d), .out_valid(c2_v), .out_ready(c2_r));

    // ---- layer 3: accumulators out (no activation)
    mvau #(.MW(HID), .MH(OUT), .PE(L3_PE), .SIMD(L3_SIMD), .ABITS(ABITS), .OBITS(1), .NOACT(1),
           .WEIGHT_FILE(W3_FILE), .THRESH_FILE("")) l3 (
        .clk(clk), .rst(rst), .in_data(c2_d), .in_valid(c2_v), .in_ready(c2_r),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));
endmodule
