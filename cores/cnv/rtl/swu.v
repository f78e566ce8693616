// Sliding-window unit (the convolution input generator of finn-hlslib's ConvLayer_Batch), K x K
// window, stride 1, no padding.  Input: an IFM_DIM x IFM_DIM image, pixel after pixel (row-major),
// each pixel as CG = IFM_CH/SIMD beats of SIMD channels (ABITS bits each, channel s of a beat at
// [s*ABITS +: ABITS]).  Output, for every output pixel (oy, ox) row-major: for ky, kx in 0..K-1,
// the CG beats of input pixel (oy+ky, ox+kx): K*K*CG beats, the MVAU's SF beats of one column
// vector, column (ky*K + kx)*IFM_CH + channel.
// Storage: R = 2K rows in a dual-port memory (one write, one synchronous read port): the writer
// fills row B+D while the reader walks rows B..B+K-1 (B: the oldest row still needed, D: rows
// complete beyond it, at most R-1), so reading one image overlaps writing the next image's first
// K rows (with K+1 rows a 3x3 input could not take the next image until read).
module swu #(
    parameter K = 3,
    parameter IFM_CH = 64,
    parameter IFM_DIM = 30,
    parameter SIMD = 32,
    parameter ABITS = 1,
    // derived; do not override
    parameter W = SIMD * ABITS
) (
    input  wire         clk,
    input  wire         rst,
    input  wire [W-1:0] in_data,
    input  wire         in_valid,
    output wire         in_ready,
    output wire [W-1:0] out_data,
    output wire         out_valid,
    input  wire         out_ready
);
    localparam OFM_DIM = IFM_DIM - K + 1;
    localparam CG = IFM_CH / SIMD;
    localparam ROWW = IFM_DIM * CG;                 // words per stored row
    localparam R = 2 * K;
    localparam DEPTH = R * ROWW;
    localparam AW = $clog2(DEPTH);
    localparam XW = $clog2(IFM_DIM + 1);
    localparam GW = (CG > 1) ? $clog2(CG) : 1;
    localparam KW = $clog2(R + 1);
    localparam DW = $clog2(R + 1);

    reg [W-1:0] mem [0:DEPTH-1];

    // ------------------------------------------------------------------ writer
    reg [XW-1:0] wx;
    reg [GW-1:0] wg;
    reg [KW-1:0] wslot;
    reg [DW-1:0] d;                                 // complete rows from the base row on
    assign in_ready = !rst && (d <= R - 1);
    wire wr = in_valid && in_ready;
    wire row_done = wr && (wx == IFM_DIM - 1) && (wg == CG - 1);
    wire [AW-1:0] waddr = (wslot * IFM_DIM + wx) * CG + wg;
    always @(posedge clk) begin
        if (wr)
            mem[waddr] <= in_data;
    end
    always @(posedge clk) begin
        if (rst) begin
            wx <= 0;
            wg <= 0;
            wslot <= 0;
        end else if (wr) begin
            if (wg == CG - 1) begin
                wg <= 0;
                if (wx == IFM_DIM - 1) begin
                    wx <= 0;
                    wslot <= (wslot == R - 1) ? 0 : wslot + 1'b1;
                end else begin
                    wx <= wx + 1'b1;
                end
            end else begin
                wg <= wg + 1'b1;
            end
        end
    end

    // ------------------------------------------------------------------ reader
    reg [XW-1:0] oy, ox;
    reg [KW-1:0] ky, kx, bs;
    reg [GW-1:0] rg;
    reg          rvalid;
    reg [W-1:0]  rdata;
    reg [1:0]    cnt;                              // words in the 2-entry output buffer
    wire pop = out_valid && out_ready;
    wire room = ({1'b0, cnt} + rvalid - pop) < 2;
    wire rd = !rst && (d >= K) && room;
    wire [KW:0] slot_sum = bs + ky;
    wire [KW-1:0] rslot = (slot_sum >= R) ? slot_sum - R : slot_sum;
    wire [AW-1:0] raddr = (rslot * IFM_DIM + ox + kx) * CG + rg;
    wire last_word = (rg == CG - 1) && (kx == K - 1) && (ky == K - 1);
    wire row_end = rd && last_word && (ox == OFM_DIM - 1);
    wire img_end = row_end && (oy == OFM_DIM - 1);
    always @(posedge clk) begin
        if (rd)
            rdata <= mem[raddr];
    end
    always @(posedge clk) begin
        if (rst) begin
            oy <= 0; ox <= 0; ky <= 0; kx <= 0; rg <= 0; bs <= 0;
            rvalid <= 1'b0;
        end else begin
            rvalid <= rd;
            if (rd) begin
                if (rg != CG - 1) begin
                    rg <= rg + 1'b1;
                end else begin
                    rg <= 0;
                    if (kx != K - 1) begin
                        kx <= kx + 1'b1;
                    end else begin
                        kx <= 0;
                        if (ky != K - 1) begin
                            ky <= ky + 1'b1;
                        end else begin
                            ky <= 0;
                            if (ox != OFM_DIM - 1) begin
                                ox <= ox + 1'b1;
                            end else begin
                                ox <= 0;
                                if (oy != OFM_DIM - 1) begin
                                    oy <= oy + 1'b1;
                                    bs <= (bs == R - 1) ? 0 : bs + 1'b1; // base row + 1
                                end else begin
                                    oy <= 0;
                                    bs <= (bs + K >= R) ? bs + K - R : bs + K;   // base row + K (mod R)
                                end
                            end
                        end
                    end
                end
            end
        end
    end

    // rows complete beyond the base: +1 per written row, -1 per output row, -K per image
    always @(posedge clk) begin
        if (rst)
            d <= 0;
        else
            d <= d + row_done - (img_end ? K : row_end ? 1 : 0);
    end

    // ------------------------------------------------------------------ 2-entry output buffer
    reg [W-1:0] b0, b1;
    assign out_valid = (cnt != 0);
    assign out_data = b0;
    always @(posedge clk) begin
        if (rst) begin
            cnt <= 0;
        end else begin
            case ({rvalid, pop})
                2'b10: begin
                    if (cnt == 0) b0 <= rdata; else b1 <= rdata;
                    cnt <= cnt + 1'b1;
                end
                2'b01: begin
                    b0 <= b1;
                    cnt <= cnt - 1'b1;
                end
                2'b11: begin
                    if (cnt == 1) b0 <= rdata;
                    else begin b0 <= b1; b1 <= rdata; end
                end
                default: ;
            endcase
        end
    end
endmodule
