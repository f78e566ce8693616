// A top using the virtual prim_inv (the registered provider has a clock).
module tvirt (input wire clk, input wire a, output wire y);
    prim_inv inv (.clk(clk), .a(a), .y(y));
endmodule
