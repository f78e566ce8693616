`timescale 1ns/1ps
// verilator lint_off WIDTH
// Fixed-point radix-2 decimation-in-time FFT of K points, combinational, exactly as
// fpgaflow/models/ernn.py specifies (fft_fixed): inputs in natural order (bit-reversed
// here), LK = log2 K stages, the butterfly's twiddle product rounded half up to the data's
// fraction bits (>>> TBITS-2), no scaling between stages; every stage W bits wide.
// INV=1 conjugates the twiddles (inverse transform without the 1/K).
// Twiddles: TWFILE, max(1, K/2) words {im, re} of TBITS each, s[TBITS].[TBITS-2].
// Plain Verilog-2005.
module ernn_fft #(
    parameter K      = 8,
    parameter W      = 16,
    parameter TBITS  = 16,
    parameter INV    = 0,
    parameter TWFILE = "ernn_twiddle.hex"
) (
    input  [K*W-1:0] in_re,
    input  [K*W-1:0] in_im,
    output [K*W-1:0] out_re,
    output [K*W-1:0] out_im
);
    localparam LK = (K > 1) ? $clog2(K) : 0;
    localparam NT = (K > 1) ? K / 2 : 1;
    localparam PW = W + TBITS + 1;

    function integer bitrev(input integer n, input integer bits);
        integer b;
        begin
            bitrev = 0;
            for (b = 0; b < bits; b = b + 1)
                if ((n >> b) & 1) bitrev = bitrev | (1 << (bits - 1 - b));
        end
    endfunction

    reg [2*TBITS-1:0] tw [0:NT-1];
    initial $readmemh(TWFILE, tw);

    // one net per stage and point (a net array: each value its own net)
    wire [W-1:0] sr [0:(LK+1)*K-1];
    wire [W-1:0] si [0:(LK+1)*K-1];

    genvar s, n;
    generate
        for (n = 0; n < K; n = n + 1) begin : g_in
            assign sr[n] = in_re[bitrev(n, LK)*W +: W];
            assign si[n] = in_im[bitrev(n, LK)*W +: W];
        end
        for (s = 1; s <= LK; s = s + 1) begin : g_stage
            localparam M = 1 << s;
            localparam H = M / 2;
            for (n = 0; n < K; n = n + 1) begin : g_bf
                if ((n % M) >= H) begin : g_bot
                    localparam TI = ((n % M) - H) * (K / M);
                    wire signed [W-1:0] ar = sr[(s-1)*K + n - H];
                    wire signed [W-1:0] ai = si[(s-1)*K + n - H];
                    wire signed [W-1:0] br = sr[(s-1)*K + n];
                    wire signed [W-1:0] bi = si[(s-1)*K + n];
                    wire [2*TBITS-1:0] tww = tw[TI];
                    wire signed [TBITS-1:0] wr = tww[TBITS-1:0];
                    wire signed [TBITS-1:0] wi0 = tww[2*TBITS-1:TBITS];
                    wire signed [TBITS:0] wi = INV ? -wi0 : wi0;
                    wire signed [PW-1:0] pr = br * wr - bi * wi;
                    wire signed [PW-1:0] pi = br * wi + bi * wr;
                    wire signed [PW-1:0] rnd = 1 << (TBITS - 3);
                    wire signed [PW-1:0] tr = (pr + rnd) >>> (TBITS - 2);
                    wire signed [PW-1:0] ti = (pi + rnd) >>> (TBITS - 2);
                    assign sr[s*K + n - H] = ar + tr[W-1:0];
                    assign si[s*K + n - H] = ai + ti[W-1:0];
                    assign sr[s*K + n] = ar - tr[W-1:0];
                    assign si[s*K + n] = ai - ti[W-1:0];
                end
            end
        end
        for (n = 0; n < K; n = n + 1) begin : g_out
            assign out_re[n*W +: W] = sr[LK*K + n];
            assign out_im[n*W +: W] = si[LK*K + n];
        end
    endgenerate
endmodule
