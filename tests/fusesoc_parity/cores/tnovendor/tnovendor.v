// A registered inverter.
module tnovendor (input wire clk, input wire a, output reg y);
    always @(posedge clk) y <= ~a;
endmodule
