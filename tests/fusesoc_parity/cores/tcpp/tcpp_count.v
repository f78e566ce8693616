module tcpp_count #(parameter STEP = 1) (input wire clk, input wire rst, output reg [7:0] q);
   always @(posedge clk)
     if (rst) q <= 8'd0;
     else q <= q + STEP[7:0];
endmodule
