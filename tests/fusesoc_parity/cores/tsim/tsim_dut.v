// no `timescale here: the target's icarus timescale (1ns/1ps) makes #1.5 1.5 ns
module tsim_dut(input wire [7:0] a, output wire [7:0] y);
   reg late = 1'b0;
   initial #1.5 late = 1'b1;
   assign y = a + 8'd1;
endmodule
