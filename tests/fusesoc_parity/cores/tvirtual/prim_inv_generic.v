// The generic inverter.
module prim_inv (input wire a, output wire y); assign y = ~a; endmodule
