// Testbench for cnv: the shared stream driver/checker (fpgaflow:nn:stream_tb) streams in.txt
// (pixels, IN_CH 8-bit channels a beat) through the DUT and compares the OUT/L8_PE beats of
// 16-bit scores per image with exp.txt (`python -m fpgaflow.models.cnv vectors .`); one
// FPGAFLOW_SIM line.  STALL=1 adds random input gaps and output back-pressure.
`timescale 1ns / 1ps
module cnv_tb;
    parameter IMG = 32, IN_CH = 3, C1 = 4, C2 = 8, C3 = 8, F = 16, OUT = 8;
    parameter WBITS = 1, ABITS = 1, ACCW = 16, STALL = 0;
    parameter L0_PE = 4, L0_SIMD = 3, L1_PE = 4, L1_SIMD = 4, L2_PE = 4, L2_SIMD = 4;
    parameter L3_PE = 8, L3_SIMD = 8, L4_PE = 8, L4_SIMD = 8, L5_PE = 8, L5_SIMD = 8;
    parameter L6_PE = 4, L6_SIMD = 8, L7_PE = 4, L7_SIMD = 4, L8_PE = 2, L8_SIMD = 4;
    wire clk, rst, iv, ir, ov, ordy;
    wire [IN_CH*8-1:0] id;
    wire [L8_PE*ACCW-1:0] od;
    cnv #(.IMG(IMG), .IN_CH(IN_CH), .C1(C1), .C2(C2), .C3(C3), .F(F), .OUT(OUT), .WBITS(WBITS),
          .ABITS(ABITS), .ACCW(ACCW), .L0_PE(L0_PE), .L0_SIMD(L0_SIMD), .L1_PE(L1_PE),
          .L1_SIMD(L1_SIMD), .L2_PE(L2_PE), .L2_SIMD(L2_SIMD), .L3_PE(L3_PE), .L3_SIMD(L3_SIMD),
          .L4_PE(L4_PE), .L4_SIMD(L4_SIMD), .L5_PE(L5_PE), .L5_SIMD(L5_SIMD), .L6_PE(L6_PE),
          .L6_SIMD(L6_SIMD), .L7_PE(L7_PE), .L7_SIMD(L7_SIMD), .L8_PE(L8_PE), .L8_SIMD(L8_SIMD))
        dut (clk, rst, id, iv, ir, od, ov, ordy);
    stream_tb #(.IN_W(IN_CH * 8), .LANES(L8_PE), .LANE_W(ACCW), .IN_BEATS(IMG * IMG),
                .OUT_BEATS(OUT / L8_PE), .STALL(STALL), .TIMEOUT(40000000))   // cycles; 10x in ns stays in 32 bits
        tb (clk, rst, id, iv, ir, od, ov, ordy);
`ifdef FPGAFLOW_PROFILE
    // +define+FPGAFLOW_PROFILE: per layer, over the measured window (from the first to the last
    // image's output), the MVAU's cycles issuing a beat (busy), held by its output (out_stall:
    // the next stage not ready), waiting for an input beat in its first fold (in_starve), and the
    // cycles its input FIFO was full; one FPGAFLOW_PROF line per layer at the end.
    wire win = (tb.items >= 1) && (tb.items < tb.nvec);
`define FPGAFLOW_PROF_LAYER(L) \
    integer busy_``L = 0, ostall_``L = 0, starve_``L = 0, full_``L = 0; \
    always @(posedge clk) if (win) begin \
        busy_``L = busy_``L + dut.L.mv.fire; \
        ostall_``L = ostall_``L + !dut.L.mv.en; \
        starve_``L = starve_``L + (dut.L.mv.en && dut.L.mv.need_in && !dut.L.mv.in_valid); \
        full_``L = full_``L + !dut.L.fifo.in_ready; \
    end \
    final $display("FPGAFLOW_PROF layer=%s window=%0d busy=%0d out_stall=%0d in_starve=%0d fifo_full=%0d", \
                   `"L`", tb.t_last - tb.t_first, busy_``L, ostall_``L, starve_``L, full_``L);
    `FPGAFLOW_PROF_LAYER(l0)
    `FPGAFLOW_PROF_LAYER(l1)
    `FPGAFLOW_PROF_LAYER(l2)
    `FPGAFLOW_PROF_LAYER(l3)
    `FPGAFLOW_PROF_LAYER(l4)
    `FPGAFLOW_PROF_LAYER(l5)
    `FPGAFLOW_PROF_LAYER(l6)
    `FPGAFLOW_PROF_LAYER(l7)
    `FPGAFLOW_PROF_LAYER(l8)
`endif
endmodule
