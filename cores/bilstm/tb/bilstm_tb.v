// Testbench of the BiLSTM network core. Reads the vector files written by
// `python3 -m fpgaflow.models.bilstm vectors .` from the working directory, streams every
// sequence in, compares every hidden-output beat (bilstm_out.hex), every output-layer score
// (bilstm_scores.hex) and every label (bilstm_labels.hex) with the model's, measures the
// cycles per column (from a sequence's first column in to its terminator label out, summed
// over the sequences, divided by the columns) and prints exactly one line:
//   FPGAFLOW_SIM vectors=<N> mismatches=<M> cycles_per_item=<C>
// (N columns; M counts differing beats, scores and labels, and missing ones).
// STALL=1 throttles the input, hidden-output and label streams pseudo-randomly
// (handshake check; cycles are then not the folding figure).
`timescale 1ns/1ps
// verilator lint_off WIDTH
module bilstm_tb #(
    parameter HIDDEN   = 128,
    parameter INPUT    = 32,
    parameter WBITS    = 4,
    parameter ABITS    = 4,
    parameter CLASSES  = 82,
    parameter PE       = 1,
    parameter SIMD_IN  = 16,
    parameter SIMD_REC = 64,
    parameter SIMD_FC  = 64,
    parameter MAXLEN   = 732,
    parameter SEQLEN   = 16,
    parameter WEIGHTS  = "",          // the model's weights file (read by the model only)
    parameter STALL    = 0,
    parameter VMAX     = 4 * SEQLEN + 16
);
    localparam FI  = INPUT / SIMD_IN;
    localparam FR  = HIDDEN / SIMD_REC;
    localparam NF  = (FI > FR) ? FI : FR;
    localparam CPI = 2 * (HIDDEN / PE) * NF + CLASSES * (HIDDEN / SIMD_FC) + 3;
    localparam XW  = INPUT * ABITS;
    localparam OW  = 2 * HIDDEN * ABITS;
    localparam LW  = $clog2(CLASSES + 1);

    reg clk = 1'b0;
    reg rst = 1'b1;
    always #2.5 clk = ~clk;

    reg  [31:0]   count [0:3];
    reg  [XW-1:0] in_mem  [0:VMAX-1];
    reg  [0:0]    last_mem[0:VMAX-1];
    reg  [OW-1:0] out_mem [0:VMAX-1];
    reg  [15:0]   sc_mem  [0:VMAX*CLASSES-1];
    reg  [15:0]   lab_mem [0:VMAX*2+8];

    reg           s_valid;
    wire          s_ready;
    reg  [XW-1:0] s_data;
    reg           s_last;
    wire          m_valid;
    reg           m_ready;
    wire [OW-1:0] m_data;
    wire          m_last;
    wire          sc_valid;
    wire [15:0]   sc_data;
    wire          l_valid;
    reg           l_ready;
    wire [LW-1:0] l_data;
    wire          l_last;

    bilstm #(
        .HIDDEN(HIDDEN), .INPUT(INPUT), .WBITS(WBITS), .ABITS(ABITS), .CLASSES(CLASSES),
        .PE(PE), .SIMD_IN(SIMD_IN), .SIMD_REC(SIMD_REC), .SIMD_FC(SIMD_FC), .MAXLEN(MAXLEN),
        .SEQLEN(SEQLEN)
    ) dut (
        .clk(clk), .rst(rst),
        .s_valid(s_valid), .s_ready(s_ready), .s_data(s_data), .s_last(s_last),
        .m_valid(m_valid), .m_ready(m_ready), .m_data(m_data), .m_last(m_last),
        .sc_valid(sc_valid), .sc_data(sc_data),
        .l_valid(l_valid), .l_ready(l_ready), .l_data(l_data), .l_last(l_last)
    );

    integer n, nseq, nsc, nlab, nin, nout, isc, ilab, mism, cycle, t0, span, timeout, seed;
    integer shown, seqs_done;
    reg     started;

    task report_mismatch(input [8*8-1:0] what, input integer idx);
        begin
            mism = mism + 1;
            if (shown < 4) begin
                shown = shown + 1;
                $display("bilstm_tb: %0s %0d differs", what, idx);
            end
        end
    endtask

    initial begin
        $readmemh("bilstm_count.hex", count);
        n = count[0]; nseq = count[1]; nsc = count[2]; nlab = count[3];
        if (n > VMAX || n < 1 || nsc != n * CLASSES || nlab > 2 * VMAX + 8) begin
            $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=0", n, n);
            $fatal(1, "bilstm_tb: %0d vectors, VMAX=%0d (raise SEQLEN/VMAX)", n, VMAX);
        end
        $readmemh("bilstm_in.hex", in_mem, 0, n - 1);
        $readmemh("bilstm_last.hex", last_mem, 0, n - 1);
        $readmemh("bilstm_out.hex", out_mem, 0, n - 1);
        $readmemh("bilstm_scores.hex", sc_mem, 0, nsc - 1);
        $readmemh("bilstm_labels.hex", lab_mem, 0, nlab - 1);
        nin = 0; nout = 0; isc = 0; ilab = 0; mism = 0; cycle = 0; span = 0; shown = 0;
        seqs_done = 0; seed = 7; started = 1'b0; t0 = 0;
        timeout = 4 * n * (CPI + 8) + 8 * nseq * 64 + 1000;
        s_valid = 1'b0; s_data = 0; s_last = 1'b0; m_ready = 1'b0; l_ready = 1'b0;
        repeat (4) @(posedge clk);
        @(negedge clk) rst = 1'b0;
    end

    // drive inputs and take outputs (all changes right after the clock edge)
    always @(posedge clk) if (!rst) begin
        cycle = cycle + 1;
        if (m_valid && m_ready) begin
            if (nout >= n || m_data !== out_mem[nout]) report_mismatch("beat", nout);
            nout = nout + 1;
        end
        if (sc_valid) begin
            if (isc >= nsc || sc_data !== sc_mem[isc]) report_mismatch("score", isc);
            isc = isc + 1;
        end
        if (l_valid && l_ready) begin
            if (ilab >= nlab || l_data !== lab_mem[ilab][LW-1:0] ||
                l_last !== (lab_mem[ilab] == CLASSES)) report_mismatch("label", ilab);
            ilab = ilab + 1;
            if (l_last) begin
                span = span + (cycle - t0);
                seqs_done = seqs_done + 1;
                started = 1'b0;
            end
        end
        if (s_valid && s_ready) begin
            if (!started) begin
                started = 1'b1;
                t0 = cycle;
            end
            nin = nin + 1;
        end
        if (nin < n && (STALL == 0 || ($random(seed) & 3) != 0)) begin
            s_valid <= 1'b1; s_data <= in_mem[nin]; s_last <= last_mem[nin][0];
        end else begin
            s_valid <= 1'b0;
        end
        m_ready <= (STALL == 0) || (($random(seed) & 3) != 0);
        l_ready <= (STALL == 0) || (($random(seed) & 3) != 0);
        if (seqs_done == nseq || cycle > timeout) begin
            if (seqs_done != nseq || nout != n || isc != nsc || ilab != nlab) begin
                $display("bilstm_tb: stopped after %0d cycles: %0d of %0d beats, %0d of %0d scores, %0d of %0d labels",
                         cycle, nout, n, isc, nsc, ilab, nlab);
                mism = mism + (n > nout ? n - nout : 0) + (nsc > isc ? nsc - isc : 0) +
                       (nlab > ilab ? nlab - ilab : 0) + (seqs_done != nseq);
            end
            $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=%0d",
                     n, mism, (span + n / 2) / n);
            if (mism != 0) $fatal(1, "bilstm_tb: %0d mismatches", mism);
            $finish;
        end
    end
endmodule
