module tsim_dut(input wire [7:0] a, output wire [7:0] y);
   assign y = a + 8'd1;
endmodule
