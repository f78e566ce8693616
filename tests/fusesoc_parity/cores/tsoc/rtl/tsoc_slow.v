// one of two step modules; the IMPL define names which one tsoc_core instantiates
module tsoc_slow #(parameter integer W = 4) (input wire clk, output reg [W-1:0] addr = 0);
    always @(posedge clk) addr <= addr + 1'b1;
endmodule
