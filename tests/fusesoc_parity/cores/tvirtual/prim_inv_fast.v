// The other inverter: registered.
module prim_inv (input wire clk, input wire a, output reg y); always @(posedge clk) y <= ~a; endmodule
