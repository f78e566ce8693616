// One layer of the CNV core: width converter from the previous stage's beats (IW bits) to this
// layer's SIMD lanes, a FIFO, for convolutions the sliding-window unit (swu.v), then the MVAU
// (cores/mvau/rtl/mvau.v).  CONV = 0 is a fully connected layer.  The MVAU parameters are those of
// mvau.v; OW is its output lane width (ACT == 1 ? ACCW : OBITS).
// FIFO depth (FIFO = 0: derived): the MVAU reads a vector only in its first neuron fold (nf = 0,
// SF of its SF*NF cycles), so a fully connected layer fed by a layer as slow as itself (CNV's
// layers 5-8: one output every SF'*NF' cycles upstream) must find its whole next vector waiting
// when it starts: the FIFO holds SF beats (a power of two >= 16; BNN-PYNQ keeps the vector in
// its width converter's wide word and in 128-deep streams).  A 16-deep FIFO there made the
// producer stall while the consumer worked on the previous vector and the two layers ran in
// series (cnvW1A1 56,708 cycles/image against 32,768).  Convolutions take 16: the sliding-window
// unit's 2K rows decouple them.
module cnv_stage #(
    parameter CONV = 1,
    parameter IW = 24,
    parameter K = 3,
    parameter IFM_CH = 3,
    parameter IFM_DIM = 32,
    parameter MW = 27,
    parameter MH = 64,
    parameter PE = 16,
    parameter SIMD = 3,
    parameter WBITS = 1,
    parameter ABITS = 1,
    parameter ATYPE = 2,
    parameter XNOR = 1,
    parameter ACCW = 16,
    parameter ACT = 0,
    parameter NTHR = 1,
    parameter integer OBIAS = 0,
    parameter OBITS = 1,
    parameter FIFO = 0,
    parameter WEIGHT_FILE = "weights.hex",
    parameter THRESH_FILE = "thresh.hex",
    // derived; do not override
    parameter OW = (ACT == 1) ? ACCW : OBITS
) (
    input  wire             clk,
    input  wire             rst,
    input  wire [IW-1:0]    in_data,
    input  wire             in_valid,
    output wire             in_ready,
    output wire [PE*OW-1:0] out_data,
    output wire             out_valid,
    input  wire             out_ready
);
    localparam SW = SIMD * ABITS;
    localparam SF = MW / SIMD;
    localparam FD = (FIFO != 0) ? FIFO : (CONV != 0 || SF <= 16) ? 16 : (1 << $clog2(SF));
    wire [SW-1:0] a_d, b_d, c_d;
    wire a_v, a_r, b_v, b_r, c_v, c_r;
    stream_dwc #(.IW(IW), .OW(SW)) dwc (
        .clk(clk), .rst(rst), .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data(a_d), .out_valid(a_v), .out_ready(a_r));
    stream_fifo #(.WIDTH(SW), .DEPTH(FD)) fifo (
        .clk(clk), .rst(rst), .in_data(a_d), .in_valid(a_v), .in_ready(a_r),
        .out_data(b_d), .out_valid(b_v), .out_ready(b_r));
    generate
        if (CONV != 0) begin : g_swu
            swu #(.K(K), .IFM_CH(IFM_CH), .IFM_DIM(IFM_DIM), .SIMD(SIMD), .ABITS(ABITS)) win (
                .clk(clk), .rst(rst), .in_data(b_d), .in_valid(b_v), .in_ready(b_r),
                .out_data(c_d), .out_valid(c_v), .out_ready(c_r));
        end else begin : g_fc
            assign c_d = b_d;
            assign c_v = b_v;
            assign b_r = c_r;
        end
    endgenerate
    mvau #(.MW(MW), .MH(MH), .PE(PE), .SIMD(SIMD), .WBITS(WBITS), .ABITS(ABITS), .ATYPE(ATYPE),
           .XNOR(XNOR), .ACCW(ACCW), .ACT(ACT), .NTHR(NTHR), .OBIAS(OBIAS), .OBITS(OBITS),
           .WEIGHT_FILE(WEIGHT_FILE), .THRESH_FILE(THRESH_FILE)) mv (
        .clk(clk), .rst(rst), .in_data(c_d), .in_valid(c_v), .in_ready(c_r),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));
endmodule
