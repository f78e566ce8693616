// Testbench of the E-RNN core: the DUT and the shared stream driver/checker
// (fpgaflow:nn:stream_tb, cores/common/tb/stream_tb.v), which streams in.txt and compares
// every output beat with exp.txt (both from `python3 -m fpgaflow.models.ernn vectors .`).
// One beat is one time step: {s_last, x} in, {m_last, h} out (the sequence flag is checked
// with the data). It prints FPGAFLOW_SIM vectors=<N> mismatches=<M> cycles_per_item=<C>,
// C = cycles per step in steady state. STALL=1: random input gaps and back-pressure.
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
    parameter STALL   = 0
);
    localparam CPI = (CELL ? 2 : 1) * (HIDDEN / K) * ((INPUT + HIDDEN) / (K * PE));
    localparam XW  = INPUT * ABITS;
    localparam OW  = HIDDEN * ABITS;

    wire          clk, rst, in_valid, in_ready, out_valid, out_ready, m_last;
    wire [XW:0]   in_data;
    wire [OW-1:0] m_data;

    ernn #(
        .INPUT(INPUT), .HIDDEN(HIDDEN), .K(K), .CELL(CELL), .FFT(FFT), .WBITS(WBITS),
        .ABITS(ABITS), .ACCBITS(ACCBITS), .CBITS(CBITS), .LUTBITS(LUTBITS), .GBITS(GBITS),
        .PE(PE), .TBITS(TBITS), .XFRAC(XFRAC), .SFRAC(SFRAC), .SEQLEN(SEQLEN)
    ) dut (
        .clk(clk), .rst(rst),
        .s_valid(in_valid), .s_ready(in_ready), .s_data(in_data[XW-1:0]), .s_last(in_data[XW]),
        .m_valid(out_valid), .m_ready(out_ready), .m_data(m_data), .m_last(m_last)
    );

    stream_tb #(.IN_W(XW + 1), .LANES(1), .LANE_W(OW + 1), .STALL(STALL),
                .TIMEOUT(2000 + 8 * (4 * SEQLEN + 8) * (CPI + 16))) tb (
        .clk(clk), .rst(rst),
        .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data({m_last, m_data}), .out_valid(out_valid), .out_ready(out_ready));
endmodule
