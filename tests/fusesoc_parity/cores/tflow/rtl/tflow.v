// A free-running counter; tflow_mix picks which bits drive the LEDs.
module tflow #(parameter integer WIDTH = 20) (
    input  wire       clk,
    output wire [3:0] led
);
    reg [WIDTH-1:0] count = 0;
    always @(posedge clk) count <= count + 1'b1;
    tflow_mix mix (.in(count[WIDTH-1:WIDTH-8]), .out(led));
endmodule
