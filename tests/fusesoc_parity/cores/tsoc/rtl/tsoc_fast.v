`include "tsoc_gen.vh"
// steps the ROM address by TSOC_STEP (a define from the generated header)
module tsoc_fast #(parameter integer W = 4) (input wire clk, output reg [W-1:0] addr = 0);
    always @(posedge clk) addr <= addr + `TSOC_STEP;
endmodule
