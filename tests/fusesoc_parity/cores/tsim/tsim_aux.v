// the second toplevel: its DEPTH must arrive as well
module tsim_aux;
   parameter DEPTH = 0;
   reg ok = 1'b0;
   initial ok = (DEPTH == 3);
endmodule
