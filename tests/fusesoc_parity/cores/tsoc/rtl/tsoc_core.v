`include "tsoc/tsoc_defs.vh"
// A ROM of WIDTH-bit words preloaded with $readmemh(memfile), stepped through by `IMPL,
// shown on WIDTH LEDs. A prescaler makes the pattern visible.
module tsoc_core #(
    parameter integer WIDTH = 8,
    parameter memfile = "pattern.hex",
    parameter integer PRESCALE = 20
) (
    input  wire             clk,
    output reg  [WIDTH-1:0] led
);
    reg [WIDTH-1:0] rom [0:`TSOC_ROM_DEPTH-1];
    initial $readmemh(memfile, rom);
    reg [PRESCALE-1:0] pre = 0;
    always @(posedge clk) pre <= pre + 1'b1;
    wire [3:0] addr;
    `IMPL #(.W(4)) step (.clk(pre[PRESCALE-1]), .addr(addr));
    always @(posedge clk) led <= rom[addr];
endmodule
