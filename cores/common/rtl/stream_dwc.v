// Valid/ready stream data-width converter, IW -> OW where one divides the other.  Bit order is
// preserved: the low bits of a wide word travel first (element i of a layer's output is element i
// of the next layer's input).
module stream_dwc #(
    parameter IW = 8,
    parameter OW = 8
) (
    input  wire          clk,
    input  wire          rst,
    input  wire [IW-1:0] in_data,
    input  wire          in_valid,
    output wire          in_ready,
    output wire [OW-1:0] out_data,
    output wire          out_valid,
    input  wire          out_ready
);
    generate
        if (IW == OW) begin : g_pass
            assign out_data  = in_data;
            assign out_valid = in_valid;
            assign in_ready  = out_ready;
        end else if (IW > OW) begin : g_ser
            localparam R = IW / OW;
            localparam CW = $clog2(R + 1);
            reg [IW-1:0] sh;
            reg [CW-1:0] cnt;                      // slices left in sh
            assign out_valid = (cnt != 0);
            assign out_data  = sh[OW-1:0];
            assign in_ready  = !rst && ((cnt == 0) || (cnt == 1 && out_ready));
            always @(posedge clk) begin
                if (rst) begin
                    cnt <= 0;
                end else if (in_valid && in_ready) begin
                    sh  <= in_data;
                    cnt <= R;
                end else if (out_valid && out_ready) begin
                    sh  <= sh >> OW;
                    cnt <= cnt - 1'b1;
                end
            end
        end else begin : g_deser
            localparam R = OW / IW;
            localparam CW = $clog2(R + 1);
            reg [OW-1:0] sh;
            reg [CW-1:0] cnt;                      // slices collected
            assign out_valid = (cnt == R);
            assign out_data  = sh;
            assign in_ready  = !rst && ((cnt != R) || out_ready);
            always @(posedge clk) begin
                if (rst) begin
                    cnt <= 0;
                end else begin
                    if (in_valid && in_ready)
                        sh <= {in_data, sh[OW-1:IW]};
                    if (out_valid && out_ready)
                        cnt <= (in_valid && in_ready) ? 1 : 0;
                    else if (in_valid && in_ready)
                        cnt <= cnt + 1'b1;
                end
            end
        end
    endgenerate
endmodule
