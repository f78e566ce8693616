// iCE40 PLL: 12 MHz in -> 24 MHz out (DIVR 0, DIVF 63, DIVQ 5, FILTER_RANGE 1)
module tsoc_pll (input wire clk_in, output wire clk_out, output wire locked);
    SB_PLL40_PAD #(.FEEDBACK_PATH("SIMPLE"), .DIVR(4'd0), .DIVF(7'd63), .DIVQ(3'd5),
                   .FILTER_RANGE(3'd1))
        pll_i (.PACKAGEPIN(clk_in), .PLLOUTGLOBAL(clk_out), .LOCK(locked),
               .RESETB(1'b1), .BYPASS(1'b0));
endmodule
