// A counter on the PLL's output clock; the LEDs show its top bits.
module tgenpll (
    input  wire       clk,
    output wire [2:0] led
);
    wire pll_clk, locked;
    tgen_pll pll (.clock_in(clk), .clock_out(pll_clk), .locked(locked));
    reg [23:0] count = 0;
    always @(posedge pll_clk) if (locked) count <= count + 1'b1;
    assign led = count[23:21];
endmodule
