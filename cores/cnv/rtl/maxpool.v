// 2x2 max-pooling, stride 2 (finn-hlslib StreamingMaxPool / StreamingMaxPool_Precision): input an
// IFM_DIM x IFM_DIM image (IFM_DIM even), one beat per pixel of CH channels of ABITS bits; output
// one beat per pooled pixel, row-major, as soon as its fourth input arrives.  SIGNED = 0 compares
// unsigned (binary activations: the OR of the bits); SIGNED = 1 two's complement, the maximum
// starting at INIT (BNN-PYNQ: -1, its ap_int<2> activations' minimum).
module maxpool #(
    parameter IFM_DIM = 28,
    parameter CH = 64,
    parameter ABITS = 1,
    parameter SIGNED = 0,
    parameter INIT = 0
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire [CH*ABITS-1:0]   in_data,
    input  wire                  in_valid,
    output wire                  in_ready,
    output wire [CH*ABITS-1:0]   out_data,
    output wire                  out_valid,
    input  wire                  out_ready
);
    localparam HW = IFM_DIM / 2;
    localparam XW = $clog2(IFM_DIM + 1);
    localparam PW = (HW > 1) ? $clog2(HW) : 1;

    reg [CH*ABITS-1:0] rowbuf [0:HW-1];
    reg [XW-1:0] x, y;
    reg          ov;
    reg [CH*ABITS-1:0] od;
    assign in_ready = !rst && (!ov || out_ready);
    assign out_valid = ov;
    assign out_data = od;
    wire take = in_valid && in_ready;
    wire [PW-1:0] xp = x >> 1;
    wire first = !x[0] && !y[0];
    wire last = x[0] && y[0];
    wire [CH*ABITS-1:0] prev = rowbuf[xp];

    // channel-wise maximum of the input and the running value (INIT for the window's first pixel)
    reg [CH*ABITS-1:0] m;
    reg [ABITS-1:0] a, b;
    integer c;
    always @* begin
        for (c = 0; c < CH; c = c + 1) begin
            a = in_data[c*ABITS +: ABITS];
            b = first ? INIT[ABITS-1:0] : prev[c*ABITS +: ABITS];
            if (SIGNED != 0)
                m[c*ABITS +: ABITS] = ($signed(a) > $signed(b)) ? a : b;
            else
                m[c*ABITS +: ABITS] = (a > b) ? a : b;
        end
    end

    always @(posedge clk) begin
        if (take && !last)
            rowbuf[xp] <= m;
    end
    always @(posedge clk) begin
        if (rst) begin
            x <= 0;
            y <= 0;
            ov <= 1'b0;
        end else begin
            if (ov && out_ready)
                ov <= 1'b0;
            if (take) begin
                if (last) begin
                    od <= m;
                    ov <= 1'b1;
                end
                if (x == IFM_DIM - 1) begin
                    x <= 0;
                    y <= (y == IFM_DIM - 1) ? 0 : y + 1'b1;
                end else begin
                    x <= x + 1'b1;
                end
            end
        end
    end
endmodule
