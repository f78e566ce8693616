// Synchronous valid/ready FIFO, DEPTH a power of two (>= 2), first-word fall-through.
module stream_fifo #(
    parameter WIDTH = 8,
    parameter DEPTH = 16
) (
    input  wire             clk,
    input  wire             rst,
    input  wire [WIDTH-1:0] in_data,
    input  wire             in_valid,
    output wire             in_ready,
    output wire [WIDTH-1:0] out_data,
    output wire             out_valid,
    input  wire             out_ready
);
    localparam PW = (DEPTH > 1) ? $clog2(DEPTH) : 1;
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    reg [PW:0] wptr, rptr;
    wire empty = (wptr == rptr);
    wire full  = (wptr[PW-1:0] == rptr[PW-1:0]) && (wptr[PW] != rptr[PW]);
    assign in_ready  = !full && !rst;
    assign out_valid = !empty;
    assign out_data  = mem[rptr[PW-1:0]];
    always @(posedge clk) begin
        if (in_valid && in_ready)
            mem[wptr[PW-1:0]] <= in_data;
    end
    always @(posedge clk) begin
        if (rst) begin
            wptr <= 0;
            rptr <= 0;
        end else begin
            if (in_valid && in_ready)
                wptr <= wptr + 1'b1;
            if (out_valid && out_ready)
                rptr <= rptr + 1'b1;
        end
    end
endmodule
