// Counts what did not reach the simulation as Edalize hands it over; prints the result
// line fpgaflow reads.
`timescale 1ns/1ns
module tsim_tb;
   parameter DEPTH = 0;
   reg [7:0] mem [0:15];
   reg [1023:0] fw;
   reg [8*16-1:0] label;
   integer count, i, bad, checks;
   wire [1:0] which;
   wire [7:0] y;
   tsim_sel sel(.which(which));
   tsim_dut dut(.a(mem[0]), .y(y));
   initial begin
      bad = 0; checks = 0;
      for (i = 0; i < 16; i = i + 1) mem[i] = 8'h00;
      checks = checks + 1;
      if ($value$plusargs("firmware=%s", fw)) $readmemh(fw, mem); else bad = bad + 1;
      checks = checks + 1;
      if (!$value$plusargs("count=%d", count)) begin count = 0; bad = bad + 1; end
      for (i = 0; i < count; i = i + 1) begin
         checks = checks + 1;
         if (mem[i] !== 8'h10 + 8'h11 * i) bad = bad + 1;
      end
      checks = checks + 1;
      if (!$value$plusargs("label=%s", label) || label != "abc") bad = bad + 1;
      checks = checks + 1;
      if (!$test$plusargs("verbose=1")) bad = bad + 1;
      checks = checks + 1;
      if (DEPTH != 3) bad = bad + 1;
      checks = checks + 1;
`ifdef FROM_TOOL_OPTIONS
      if (`FROM_TOOL_OPTIONS != 7) bad = bad + 1;
`else
      bad = bad + 1;
`endif
      #1;
      checks = checks + 1;
      if (tsim_aux.ok !== 1'b1) bad = bad + 1;
      checks = checks + 1;
`ifdef VERILATOR
      if (which != 2'd2) bad = bad + 1;
`else
      if (which != 2'd1) bad = bad + 1;
`endif
      checks = checks + 1;
      if (y !== 8'h11) bad = bad + 1;
      #2;
      checks = checks + 1;
`ifndef VERILATOR
      if (dut.late !== 1'b1) bad = bad + 1;
`endif
      $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=1", checks, bad);
      $finish;
   end
endmodule
