// Board top: the board clock through a PLL (PLL-derived core clock), the core on the LEDs.
module tsoc_top #(
    parameter integer WIDTH = 8,
    parameter memfile = "pattern.hex",
    parameter PLL = "NONE"
) (
    input  wire             clk_in,
    input  wire             btn,
    output wire [WIDTH-1:0] led,
    output wire             locked
);
    wire clk;
    tsoc_pll pll (.clk_in(clk_in), .clk_out(clk), .locked(locked));
    wire [WIDTH-1:0] pattern;
    tsoc_core #(.WIDTH(WIDTH), .memfile(memfile)) core (.clk(clk), .led(pattern));
    assign led = btn ? ~pattern : pattern;
endmodule
