// Testbench of the BiLSTM core. Reads the vector files written by
// `python3 -m fpgaflow.models.bilstm vectors .` from the working directory, streams every
// sequence in, compares every output bit with bilstm_out.hex, measures the cycles between
// output beats of a sequence (= cycles per column in steady state) and prints exactly one
// line:  FPGAFLOW_SIM vectors=<N> mismatches=<M> cycles_per_item=<C>
// STALL=1 throttles both streams pseudo-randomly (handshake check; cycles are then
// not the folding figure).
`timescale 1ns/1ps
// verilator lint_off WIDTH
module bilstm_tb #(
    parameter HIDDEN   = 128,
    parameter INPUT    = 32,
    parameter WBITS    = 4,
    parameter ABITS    = 4,
    parameter ACCBITS  = 24,
    parameter CBITS    = 16,
    parameter LUTBITS  = 8,
    parameter GBITS    = 8,
    parameter PE       = 1,
    parameter SIMD_IN  = 16,
    parameter SIMD_REC = 64,
    parameter MAXLEN   = 512,
    parameter SEQLEN   = 16,
    parameter STALL    = 0,
    parameter VMAX     = 4 * SEQLEN + 16
);
    localparam FI  = INPUT / SIMD_IN;
    localparam FR  = HIDDEN / SIMD_REC;
    localparam NF  = (FI > FR) ? FI : FR;
    localparam CPI = 2 * (HIDDEN / PE) * NF;
    localparam XW  = INPUT * ABITS;
    localparam OW  = 2 * HIDDEN * ABITS;

    reg clk = 1'b0;
    reg rst = 1'b1;
    always #2.5 clk = ~clk;

    reg  [31:0]   count [0:1];
    reg  [XW-1:0] in_mem  [0:VMAX-1];
    reg  [0:0]    last_mem[0:VMAX-1];
    reg  [OW-1:0] out_mem [0:VMAX-1];

    reg           s_valid;
    wire          s_ready;
    reg  [XW-1:0] s_data;
    reg           s_last;
    wire          m_valid;
    reg           m_ready;
    wire [OW-1:0] m_data;
    wire          m_last;

    bilstm #(
        .HIDDEN(HIDDEN), .INPUT(INPUT), .WBITS(WBITS), .ABITS(ABITS), .ACCBITS(ACCBITS),
        .CBITS(CBITS), .LUTBITS(LUTBITS), .GBITS(GBITS), .PE(PE), .SIMD_IN(SIMD_IN),
        .SIMD_REC(SIMD_REC), .MAXLEN(MAXLEN), .SEQLEN(SEQLEN)
    ) dut (
        .clk(clk), .rst(rst),
        .s_valid(s_valid), .s_ready(s_ready), .s_data(s_data), .s_last(s_last),
        .m_valid(m_valid), .m_ready(m_ready), .m_data(m_data), .m_last(m_last)
    );

    integer n, nin, nout, mism, cycle, prev, span, gaps, timeout, seed, shown;
    reg     first_of_seq;

    initial begin
        $readmemh("bilstm_count.hex", count);
        n = count[0];
        if (n > VMAX || n < 1) begin
            $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=0", n, n);
            $fatal(1, "bilstm_tb: %0d vectors, VMAX=%0d (raise SEQLEN/VMAX)", n, VMAX);
        end
        $readmemh("bilstm_in.hex", in_mem, 0, n - 1);
        $readmemh("bilstm_last.hex", last_mem, 0, n - 1);
        $readmemh("bilstm_out.hex", out_mem, 0, n - 1);
        nin = 0; nout = 0; mism = 0; cycle = 0; prev = 0; span = 0; gaps = 0; shown = 0;
        seed = 7; first_of_seq = 1'b1;
        timeout = 4 * n * (CPI + 8) + 4 * MAXLEN + 1000;
        s_valid = 1'b0; s_data = 0; s_last = 1'b0; m_ready = 1'b0;
        repeat (4) @(posedge clk);
        @(negedge clk) rst = 1'b0;
    end

    // drive inputs and take outputs (all changes right after the clock edge)
    always @(posedge clk) if (!rst) begin
        cycle = cycle + 1;
        // output side
        if (m_valid && m_ready) begin
            if (m_data !== out_mem[nout]) begin
                mism = mism + 1;
                if (shown < 4) begin
                    shown = shown + 1;
                    $display("bilstm_tb: beat %0d mismatch\n  got  %h\n  want %h",
                             nout, m_data, out_mem[nout]);
                end
            end
            if (!first_of_seq) begin
                span = span + (cycle - prev);
                gaps = gaps + 1;
            end
            prev = cycle;
            first_of_seq = m_last;
            nout = nout + 1;
        end
        // input side
        if (s_valid && s_ready) nin = nin + 1;
        if (nin < n && (STALL == 0 || ($random(seed) & 3) != 0)) begin
            s_valid <= 1'b1; s_data <= in_mem[nin]; s_last <= last_mem[nin][0];
        end else begin
            s_valid <= 1'b0;
        end
        m_ready <= (STALL == 0) || (($random(seed) & 3) != 0);
        if (nout == n || cycle > timeout) begin
            if (nout != n) begin
                $display("bilstm_tb: timeout after %0d cycles, %0d of %0d beats", cycle, nout, n);
                mism = mism + (n - nout);
            end
            $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=%0d",
                     n, mism, gaps ? (span + gaps / 2) / gaps : 0);
            if (mism != 0) $fatal(1, "bilstm_tb: %0d mismatches", mism);
            $finish;
        end
    end
endmodule
