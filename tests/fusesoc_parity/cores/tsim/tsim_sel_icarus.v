module tsim_sel(output wire [1:0] which);
   assign which = 2'd1;
endmodule
