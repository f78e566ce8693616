// Testbench of the E-RNN core. Reads the files written by
// `python3 -m fpgaflow.models.ernn vectors .` from the working directory, streams every
// sequence in, compares every output beat with ernn_out.hex, measures the cycles between
// output beats of a sequence (cycles per time step) and prints exactly one line:
//   FPGAFLOW_SIM vectors=<N> mismatches=<M> cycles_per_item=<C>
// STALL=1 throttles both streams pseudo-randomly (handshake check).
`timescale 1ns/1ps
// verilator lint_off WIDTH
module ernn_tb #(
    parameter INPUT   = 32,
    parameter HIDDEN  = 32,
    parameter K       = 8,
    parameter CELL    = 0,
    parameter FFT     = 0,
    parameter WBITS   = 8,
    parameter ABITS   = 8,
    parameter ACCBITS = 24,
    parameter CBITS   = 16,
    parameter LUTBITS = 8,
    parameter GBITS   = 8,
    parameter PE      = 1,
    parameter TBITS   = 16,
    parameter XFRAC   = 4,
    parameter SFRAC   = 4,
    parameter SEQLEN  = 8,
    parameter STALL   = 0,
    parameter VMAX    = 4 * SEQLEN + 16
);
    localparam CPI = (CELL ? 2 : 1) * (HIDDEN / K) * ((INPUT + HIDDEN) / (K * PE));
    localparam XW  = INPUT * ABITS;
    localparam OW  = HIDDEN * ABITS;

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

    ernn #(
        .INPUT(INPUT), .HIDDEN(HIDDEN), .K(K), .CELL(CELL), .FFT(FFT), .WBITS(WBITS),
        .ABITS(ABITS), .ACCBITS(ACCBITS), .CBITS(CBITS), .LUTBITS(LUTBITS), .GBITS(GBITS),
        .PE(PE), .TBITS(TBITS), .XFRAC(XFRAC), .SFRAC(SFRAC), .SEQLEN(SEQLEN)
    ) dut (
        .clk(clk), .rst(rst),
        .s_valid(s_valid), .s_ready(s_ready), .s_data(s_data), .s_last(s_last),
        .m_valid(m_valid), .m_ready(m_ready), .m_data(m_data), .m_last(m_last)
    );

    integer n, nin, nout, mism, cycle, prev, span, gaps, timeout, seed, shown;
    reg     first_of_seq;

    initial begin
        $readmemh("ernn_count.hex", count);
        n = count[0];
        if (n > VMAX || n < 1) begin
            $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=0", n, n);
            $fatal(1, "ernn_tb: %0d vectors, VMAX=%0d (raise SEQLEN/VMAX)", n, VMAX);
        end
        $readmemh("ernn_in.hex", in_mem, 0, n - 1);
        $readmemh("ernn_last.hex", last_mem, 0, n - 1);
        $readmemh("ernn_out.hex", out_mem, 0, n - 1);
        nin = 0; nout = 0; mism = 0; cycle = 0; prev = 0; span = 0; gaps = 0; shown = 0;
        seed = 7; first_of_seq = 1'b1;
        timeout = 8 * n * (CPI + 16) + 1000;
        s_valid = 1'b0; s_data = 0; s_last = 1'b0; m_ready = 1'b0;
        repeat (4) @(posedge clk);
        @(negedge clk) rst = 1'b0;
    end

    always @(posedge clk) if (!rst) begin
        cycle = cycle + 1;
        if (m_valid && m_ready) begin
            if (m_data !== out_mem[nout]) begin
                mism = mism + 1;
                if (shown < 4) begin
                    shown = shown + 1;
                    $display("ernn_tb: beat %0d mismatch\n  got  %h\n  want %h", nout, m_data, out_mem[nout]);
                end
            end
            if (m_last !== last_mem[nout][0]) mism = mism + 1;
            if (!first_of_seq) begin
                span = span + (cycle - prev);
                gaps = gaps + 1;
            end
            prev = cycle;
            first_of_seq = m_last;
            nout = nout + 1;
        end
        if (s_valid && s_ready) nin = nin + 1;
        if (nin < n && (STALL == 0 || ($random(seed) & 3) != 0)) begin
            s_valid <= 1'b1; s_data <= in_mem[nin]; s_last <= last_mem[nin][0];
        end else begin
            s_valid <= 1'b0;
        end
        m_ready <= (STALL == 0) || (($random(seed) & 3) != 0);
        if (nout == n || cycle > timeout) begin
            if (nout != n) begin
                $display("ernn_tb: timeout after %0d cycles, %0d of %0d beats", cycle, nout, n);
                mism = mism + (n - nout);
            end
            $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=%0d",
                     n, mism, gaps ? (span + gaps / 2) / gaps : 0);
            if (mism != 0) $fatal(1, "ernn_tb: %0d mismatches", mism);
            $finish;
        end
    end
endmodule
