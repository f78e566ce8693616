// A counter; tflags_out drives the LEDs from it.
module tflags #(parameter integer WIDTH = 16) (
    input  wire       clk,
    output wire [2:0] led
);
    reg [WIDTH-1:0] count = 0;
    always @(posedge clk) count <= count + 1'b1;
    tflags_out out (.clk(clk), .in(count[WIDTH-1:WIDTH-3]), .out(led));
endmodule
