// A free-running counter whose top bits drive the LEDs.
module tpart #(parameter integer WIDTH = 20) (
    input  wire       clk,
    output wire [3:0] led
);
    reg [WIDTH-1:0] count = 0;
    always @(posedge clk) count <= count + 1'b1;
    assign led = count[WIDTH-1:WIDTH-4];
endmodule
