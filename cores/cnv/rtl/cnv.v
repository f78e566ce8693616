// FINN's CNV as BNN-PYNQ's cnvW1A1 / cnvW1A2 / cnvW2A2 (bnn/src/network/cnv*/hw/top.cpp): six 3x3
// convolutions C1-C1-pool-C2-C2-pool-C3-C3 and three fully connected layers F-F-OUT, each a
// cnv_stage (width converter, FIFO, sliding-window unit for the convolutions, MVAU) with its own
// PE/SIMD, 2x2 max-pools after layers 1 and 3.  16-bit accumulators, FINN thresholds (t < acc).
//   Layer 0 takes the host's ap_fixed<8,1> pixels (8-bit signed, IN_CH channels per beat) times
//   WBITS weights; its thresholds are the published ap_fixed<24,16> ones as floor(t/2) (see
//   fpgaflow/models/finn.py).
//   ABITS = 1: binary activations, XNOR popcount (WBITS = 1); ABITS = 2: signed 2-bit activations,
//   two thresholds + bias -1 (outputs -1/0/+1), signed max-pool from -1.
//   Layer 8: pass-through, OUT 16-bit accumulators (the host reads the first ten as ap_int<16>).
// Full size as published: IMG=32, IN_CH=3, C1=64, C2=128, C3=256, F=512, OUT=64 and the PE/SIMD
// of config.h; fpgaflow/models/cnv.py has the defaults (a small geometry) and the full ones.
module cnv #(
    parameter IMG = 32,
    parameter IN_CH = 3,
    parameter C1 = 4,
    parameter C2 = 8,
    parameter C3 = 8,
    parameter F = 16,
    parameter OUT = 8,
    parameter WBITS = 1,
    parameter ABITS = 1,
    parameter ACCW = 16,
    parameter L0_PE = 4,
    parameter L0_SIMD = 3,
    parameter L1_PE = 4,
    parameter L1_SIMD = 4,
    parameter L2_PE = 4,
    parameter L2_SIMD = 4,
    parameter L3_PE = 8,
    parameter L3_SIMD = 8,
    parameter L4_PE = 8,
    parameter L4_SIMD = 8,
    parameter L5_PE = 8,
    parameter L5_SIMD = 8,
    parameter L6_PE = 4,
    parameter L6_SIMD = 8,
    parameter L7_PE = 4,
    parameter L7_SIMD = 4,
    parameter L8_PE = 2,
    parameter L8_SIMD = 4,
    parameter W0_FILE = "l0_weights.hex",
    parameter W1_FILE = "l1_weights.hex",
    parameter W2_FILE = "l2_weights.hex",
    parameter W3_FILE = "l3_weights.hex",
    parameter W4_FILE = "l4_weights.hex",
    parameter W5_FILE = "l5_weights.hex",
    parameter W6_FILE = "l6_weights.hex",
    parameter W7_FILE = "l7_weights.hex",
    parameter W8_FILE = "l8_weights.hex",
    parameter T0_FILE = "l0_thresh.hex",
    parameter T1_FILE = "l1_thresh.hex",
    parameter T2_FILE = "l2_thresh.hex",
    parameter T3_FILE = "l3_thresh.hex",
    parameter T4_FILE = "l4_thresh.hex",
    parameter T5_FILE = "l5_thresh.hex",
    parameter T6_FILE = "l6_thresh.hex",
    parameter T7_FILE = "l7_thresh.hex"
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire [IN_CH*8-1:0]     in_data,
    input  wire                   in_valid,
    output wire                   in_ready,
    output wire [L8_PE*ACCW-1:0]  out_data,
    output wire                   out_valid,
    input  wire                   out_ready
);
    localparam A2 = (ABITS == 2);
    localparam HA = A2 ? 1 : 2;                    // hidden activations: signed or bipolar bits
    localparam XN = (WBITS == 1 && !A2) ? 1 : 0;   // Recast<XnorMul>
    localparam NT = A2 ? 2 : 1;                    // thresholds per neuron
    localparam OB = A2 ? -1 : 0;                   // their bias (ActVal)
    localparam D0 = IMG - 2, D1 = D0 - 2, P1 = D1 / 2, D2 = P1 - 2, D3 = D2 - 2, P2 = D3 / 2;
    localparam D4 = P2 - 2, D5 = D4 - 2;

    // ---- layer 0
    wire [L0_PE*ABITS-1:0] s0_d; wire s0_v, s0_r;
    cnv_stage #(.CONV(1), .IW(IN_CH*8), .K(3), .IFM_CH(IN_CH), .IFM_DIM(IMG), .MW(9*IN_CH), .MH(C1),
                .PE(L0_PE), .SIMD(L0_SIMD), .WBITS(WBITS), .ABITS(8), .ATYPE(1), .XNOR(0),
                .ACCW(ACCW), .ACT(0), .NTHR(NT), .OBIAS(OB), .OBITS(ABITS),
                .WEIGHT_FILE(W0_FILE), .THRESH_FILE(T0_FILE)) l0 (
        .clk(clk), .rst(rst), .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data(s0_d), .out_valid(s0_v), .out_ready(s0_r));

    // ---- layer 1
    wire [L1_PE*ABITS-1:0] s1_d; wire s1_v, s1_r;
    cnv_stage #(.CONV(1), .IW(L0_PE*ABITS), .K(3), .IFM_CH(C1), .IFM_DIM(D0), .MW(9*C1), .MH(C1),
                .PE(L1_PE), .SIMD(L1_SIMD), .WBITS(WBITS), .ABITS(ABITS), .ATYPE(HA), .XNOR(XN),
                .ACCW(ACCW), .ACT(0), .NTHR(NT), .OBIAS(OB), .OBITS(ABITS),
                .WEIGHT_FILE(W1_FILE), .THRESH_FILE(T1_FILE)) l1 (
        .clk(clk), .rst(rst), .in_data(s0_d), .in_valid(s0_v), .in_ready(s0_r),
        .out_data(s1_d), .out_valid(s1_v), .out_ready(s1_r));
    wire [C1*ABITS-1:0] q1_d, p1_d; wire q1_v, q1_r, p1_v, p1_r;
    stream_dwc #(.IW(L1_PE*ABITS), .OW(C1*ABITS)) w1 (
        .clk(clk), .rst(rst), .in_data(s1_d), .in_valid(s1_v), .in_ready(s1_r),
        .out_data(q1_d), .out_valid(q1_v), .out_ready(q1_r));
    maxpool #(.IFM_DIM(D1), .CH(C1), .ABITS(ABITS), .SIGNED(A2), .INIT(OB)) pool1 (
        .clk(clk), .rst(rst), .in_data(q1_d), .in_valid(q1_v), .in_ready(q1_r),
        .out_data(p1_d), .out_valid(p1_v), .out_ready(p1_r));

    // ---- layer 2
    wire [L2_PE*ABITS-1:0] s2_d; wire s2_v, s2_r;
    cnv_stage #(.CONV(1), .IW(C1*ABITS), .K(3), .IFM_CH(C1), .IFM_DIM(P1), .MW(9*C1), .MH(C2),
                .PE(L2_PE), .SIMD(L2_SIMD), .WBITS(WBITS), .ABITS(ABITS), .ATYPE(HA), .XNOR(XN),
                .ACCW(ACCW), .ACT(0), .NTHR(NT), .OBIAS(OB), .OBITS(ABITS),
                .WEIGHT_FILE(W2_FILE), .THRESH_FILE(T2_FILE)) l2 (
        .clk(clk), .rst(rst), .in_data(p1_d), .in_valid(p1_v), .in_ready(p1_r),
        .out_data(s2_d), .out_valid(s2_v), .out_ready(s2_r));

    // ---- layer 3
    wire [L3_PE*ABITS-1:0] s3_d; wire s3_v, s3_r;
    cnv_stage #(.CONV(1), .IW(L2_PE*ABITS), .K(3), .IFM_CH(C2), .IFM_DIM(D2), .MW(9*C2), .MH(C2),
                .PE(L3_PE), .SIMD(L3_SIMD), .WBITS(WBITS), .ABITS(ABITS), .ATYPE(HA), .XNOR(XN),
                .ACCW(ACCW), .ACT(0), .NTHR(NT), .OBIAS(OB), .OBITS(ABITS),
                .WEIGHT_FILE(W3_FILE), .THRESH_FILE(T3_FILE)) l3 (
        .clk(clk), .rst(rst), .in_data(s2_d), .in_valid(s2_v), .in_ready(s2_r),
        .out_data(s3_d), .out_valid(s3_v), .out_ready(s3_r));
    wire [C2*ABITS-1:0] q3_d, p3_d; wire q3_v, q3_r, p3_v, p3_r;
    stream_dwc #(.IW(L3_PE*ABITS), .OW(C2*ABITS)) w3 (
        .clk(clk), .rst(rst), .in_data(s3_d), .in_valid(s3_v), .in_ready(s3_r),
        .out_data(q3_d), .out_valid(q3_v), .out_ready(q3_r));
    maxpool #(.IFM_DIM(D3), .CH(C2), .ABITS(ABITS), .SIGNED(A2), .INIT(OB)) pool3 (
        .clk(clk), .rst(rst), .in_data(q3_d), .in_valid(q3_v), .in_ready(q3_r),
        .out_data(p3_d), .out_valid(p3_v), .out_ready(p3_r));

    // ---- layer 4
    wire [L4_PE*ABITS-1:0] s4_d; wire s4_v, s4_r;
    cnv_stage #(.CONV(1), .IW(C2*ABITS), .K(3), .IFM_CH(C2), .IFM_DIM(P2), .MW(9*C2), .MH(C3),
                .PE(L4_PE), .SIMD(L4_SIMD), .WBITS(WBITS), .ABITS(ABITS), .ATYPE(HA), .XNOR(XN),
                .ACCW(ACCW), .ACT(0), .NTHR(NT), .OBIAS(OB), .OBITS(ABITS),
                .WEIGHT_FILE(W4_FILE), .THRESH_FILE(T4_FILE)) l4 (
        .clk(clk), .rst(rst), .in_data(p3_d), .in_valid(p3_v), .in_ready(p3_r),
        .out_data(s4_d), .out_valid(s4_v), .out_ready(s4_r));

    // ---- layer 5
    wire [L5_PE*ABITS-1:0] s5_d; wire s5_v, s5_r;
    cnv_stage #(.CONV(1), .IW(L4_PE*ABITS), .K(3), .IFM_CH(C3), .IFM_DIM(D4), .MW(9*C3), .MH(C3),
                .PE(L5_PE), .SIMD(L5_SIMD), .WBITS(WBITS), .ABITS(ABITS), .ATYPE(HA), .XNOR(XN),
                .ACCW(ACCW), .ACT(0), .NTHR(NT), .OBIAS(OB), .OBITS(ABITS),
                .WEIGHT_FILE(W5_FILE), .THRESH_FILE(T5_FILE)) l5 (
        .clk(clk), .rst(rst), .in_data(s4_d), .in_valid(s4_v), .in_ready(s4_r),
        .out_data(s5_d), .out_valid(s5_v), .out_ready(s5_r));

    // ---- layer 6
    wire [L6_PE*ABITS-1:0] s6_d; wire s6_v, s6_r;
    cnv_stage #(.CONV(0), .IW(L5_PE*ABITS), .K(3), .IFM_CH(C3), .IFM_DIM(D5), .MW(D5*D5*C3), .MH(F),
                .PE(L6_PE), .SIMD(L6_SIMD), .WBITS(WBITS), .ABITS(ABITS), .ATYPE(HA), .XNOR(XN),
                .ACCW(ACCW), .ACT(0), .NTHR(NT), .OBIAS(OB), .OBITS(ABITS),
                .WEIGHT_FILE(W6_FILE), .THRESH_FILE(T6_FILE)) l6 (
        .clk(clk), .rst(rst), .in_data(s5_d), .in_valid(s5_v), .in_ready(s5_r),
        .out_data(s6_d), .out_valid(s6_v), .out_ready(s6_r));

    // ---- layer 7
    wire [L7_PE*ABITS-1:0] s7_d; wire s7_v, s7_r;
    cnv_stage #(.CONV(0), .IW(L6_PE*ABITS), .K(3), .IFM_CH(F), .IFM_DIM(1), .MW(F), .MH(F),
                .PE(L7_PE), .SIMD(L7_SIMD), .WBITS(WBITS), .ABITS(ABITS), .ATYPE(HA), .XNOR(XN),
                .ACCW(ACCW), .ACT(0), .NTHR(NT), .OBIAS(OB), .OBITS(ABITS),
                .WEIGHT_FILE(W7_FILE), .THRESH_FILE(T7_FILE)) l7 (
        .clk(clk), .rst(rst), .in_data(s6_d), .in_valid(s6_v), .in_ready(s6_r),
        .out_data(s7_d), .out_valid(s7_v), .out_ready(s7_r));

    // ---- layer 8
    cnv_stage #(.CONV(0), .IW(L7_PE*ABITS), .K(3), .IFM_CH(F), .IFM_DIM(1), .MW(F), .MH(OUT),
                .PE(L8_PE), .SIMD(L8_SIMD), .WBITS(WBITS), .ABITS(ABITS), .ATYPE(HA), .XNOR(XN),
                .ACCW(ACCW), .ACT(1), .NTHR(1), .OBIAS(0), .OBITS(1),
                .WEIGHT_FILE(W8_FILE), .THRESH_FILE("")) l8 (
        .clk(clk), .rst(rst), .in_data(s7_d), .in_valid(s7_v), .in_ready(s7_r),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));
endmodule
