`timescale 1ns/1ps
// verilator lint_off WIDTH
// E-RNN layer (Li et al., HPCA 2019; C-LSTM, Wang et al., FPGA 2018): one LSTM (CELL=0)
// or GRU (CELL=1) layer whose weight matrices are K x K circulant blocks. FFT=0: direct
// datapath (K*K MACs per block); FFT=1: FFT datapath (the spectrum of each input block is
// computed in a pass's first row and reused by the later rows, products with the stored
// weight spectra are accumulated in the frequency domain, one inverse FFT per row and
// gate). Arithmetic, formats, ROM files: fpgaflow/models/ernn.py, which writes the files.
// Plain Verilog-2005.
//
// Streams (valid/ready): in: one x (INPUT*ABITS bits, element j at [j*ABITS +: ABITS]) per
// time step, s_last on the last step of a sequence (state returns to zero after it);
// out: one h (HIDDEN*ABITS bits) per step, m_last on the last one.
// Schedule: for each step, NPASS passes (LSTM 1; GRU 2: z and r, then the candidate n);
// for each pass, P = HIDDEN/K rows; for each row, QG = (INPUT+HIDDEN)/(K*PE) issues of PE
// blocks, all gate lanes of the pass at once: NPASS*P*QG cycles a step. A group of
// recurrent blocks issues only when every earlier pass has been written back.
module ernn #(
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
    parameter SEQLEN  = 8,             // test-vector length; not used by the logic
    parameter W_FILE    = "ernn_w.hex",
    parameter BIAS_FILE = "ernn_bias.hex",
    parameter SIG_FILE  = "ernn_sigmoid.hex",
    parameter TANH_FILE = "ernn_tanh.hex",
    parameter TW_FILE   = "ernn_twiddle.hex"
) (
    input                       clk,
    input                       rst,
    input                       s_valid,
    output                      s_ready,
    input  [INPUT*ABITS-1:0]    s_data,
    input                       s_last,
    output                      m_valid,
    input                       m_ready,
    output [HIDDEN*ABITS-1:0]   m_data,
    output                      m_last
);
    // ------------------------------------------------------------------ geometry
    localparam P     = HIDDEN / K;
    localparam QX    = INPUT / K;
    localparam QG    = (INPUT + HIDDEN) / (K * PE);
    localparam QGX   = QX / PE;
    localparam NPASS = CELL ? 2 : 1;
    localparam NL    = CELL ? 2 : 4;
    localparam LK    = (K > 1) ? $clog2(K) : 0;
    localparam NB    = K / 2 + 1;                      // bins kept (0..K/2)
    localparam BW    = K * ABITS;                      // one block of x / h
    localparam FA    = WBITS + ABITS - 2;
    localparam LF    = LUTBITS - 4;
    localparam SHR   = (FA > LF) ? FA - LF : 0;
    localparam SHL   = (LF > FA) ? LF - FA : 0;
    localparam CF    = CBITS - 4;
    localparam HSH   = 2 * GBITS - (ABITS - 1);
    localparam TW    = GBITS + 1;
    localparam QB    = (QG > 1) ? $clog2(QG) : 1;
    localparam QGB   = (QG > 1) ? $clog2(QG) + 1 : 1;
    localparam RB    = (P > 1) ? $clog2(P) : 1;
    // FFT widths (the model's widths())
    localparam QQ    = (INPUT + HIDDEN) / K;
    localparam XB    = ABITS + XFRAC + LK + 1;
    localparam SB    = WBITS + LK + SFRAC;
    localparam AB    = XB + SB + 1 + ((QQ > 2) ? $clog2(QQ) : 1) + 1;
    localparam IB    = AB + LK + 1;
    localparam SH    = LK + XFRAC + SFRAC;
    localparam WF    = FFT ? SB : WBITS;               // ROM field width
    localparam DEPTH = NPASS * P * QG;
    localparam AWR   = (DEPTH > 1) ? $clog2(DEPTH) : 1;
    localparam AWB   = (NPASS * P > 1) ? $clog2(NPASS * P) : 1;
    localparam DW    = WBITS + ABITS + LK + ((PE > 1) ? $clog2(PE) : 0) + 2;
    localparam SW    = (DW > ACCBITS) ? DW : ACCBITS;
    localparam IW    = ACCBITS + SHL;

    // ------------------------------------------------------------------ issue (stage 0)
    reg  [1:0]      pass;
    reg  [RB-1:0]   row;
    reg  [QB-1:0]   grp;
    reg  [1:0]      open_passes;       // passes fully issued, not yet written back
    reg             seq_first, first_cur, last_cur;
    reg  [INPUT*ABITS-1:0]  x_cur;
    reg  [HIDDEN*ABITS-1:0] h_state, h_next, rh_buf;
    reg             out_valid, out_last;
    reg  [HIDDEN*ABITS-1:0] out_data;

    wire at_start = (pass == 0) && (row == 0) && (grp == 0);
    wire is_v     = (grp >= QGX);
    wire can_v    = (open_passes == 0) && (pass != 0 || !out_valid || m_ready);
    wire issue    = (at_start ? s_valid : 1'b1) && (!is_v || can_v);
    wire last_g   = (grp == QG - 1);
    wire last_r   = (row == P - 1);
    wire last_p   = (pass == NPASS - 1);
    wire first_s  = at_start ? seq_first : first_cur;
    wire last_s   = at_start ? s_last : last_cur;
    wire [INPUT*ABITS-1:0]  xsel = at_start ? s_data : x_cur;
    wire [HIDDEN*ABITS-1:0] vsel = (pass != 0) ? rh_buf : (first_s ? {HIDDEN*ABITS{1'b0}} : h_state);

    assign s_ready = at_start;
    assign m_valid = out_valid;
    assign m_data  = out_data;
    assign m_last  = out_last;

    reg [PE*BW-1:0] opnd;
    integer e;
    always @* begin
        for (e = 0; e < PE; e = e + 1) begin
            if (!is_v) opnd[e*BW +: BW] = xsel[(grp*PE + e)*BW +: BW];
            else       opnd[e*BW +: BW] = vsel[((grp - QGX)*PE + e)*BW +: BW];
        end
    end

    // ------------------------------------------------------------------ memories
    wire [AWR-1:0] w_addr = (pass * P + row) * QG + grp;
    wire [AWB-1:0] b_addr = pass * P + row;
    wire [NL*PE*K*WF-1:0] w_q;
    wire [NL*K*ACCBITS-1:0] b_q;
    ernn_rom #(.WIDTH(NL*PE*K*WF), .DEPTH(DEPTH), .FILE(W_FILE), .BLOCK(1)) u_w
        (.clk(clk), .addr(w_addr), .q(w_q));
    ernn_rom #(.WIDTH(NL*K*ACCBITS), .DEPTH(NPASS*P), .FILE(BIAS_FILE)) u_b
        (.clk(clk), .addr(b_addr), .q(b_q));

    // ------------------------------------------------------------------ stage 1: products
    reg            v1, f1, l1, fg1, lg1;
    reg  [1:0]     p1;
    reg  [RB-1:0]  r1;
    reg  [QB-1:0]  g1;
    reg  [PE*BW-1:0] op1;

    // stage 2 inputs
    reg            v2, f2, l2, fg2, lg2;
    reg  [1:0]     p2;
    reg  [RB-1:0]  r2;
    reg  [NL*K*ACCBITS-1:0] bias2;
    // accumulator -> table stage inputs (acct) with their flags
    reg            vt, ft, lt;
    reg  [1:0]     pt;
    reg  [RB-1:0]  rt;
    reg  [NL*K*ACCBITS-1:0] acct;

    genvar gl, gr, ge, gm;
    generate
        if (FFT == 0) begin : g_direct
            // dot[l][r] = sum_e sum_c w[l][e][(r-c) mod K] * u[e][c]
            reg [NL*K*SW-1:0] dot;
            integer l, r, c, b;
            always @* begin
                for (l = 0; l < NL; l = l + 1)
                    for (r = 0; r < K; r = r + 1) begin : s_row
                        reg signed [SW-1:0] sum;
                        sum = 0;
                        for (b = 0; b < PE; b = b + 1)
                            for (c = 0; c < K; c = c + 1)
                                sum = sum + $signed(w_q[((l*PE + b)*K + ((r - c + K) % K))*WF +: WF]) *
                                            $signed(op1[(b*K + c)*ABITS +: ABITS]);
                        dot[(l*K + r)*SW +: SW] = sum;
                    end
            end
            reg  [NL*K*SW-1:0] dot2;
            reg  [NL*K*ACCBITS-1:0] acc, acc_next;
            always @* begin
                for (l = 0; l < NL*K; l = l + 1)
                    acc_next[l*ACCBITS +: ACCBITS] =
                        (fg2 ? bias2[l*ACCBITS +: ACCBITS] : acc[l*ACCBITS +: ACCBITS]) +
                        dot2[l*SW +: ACCBITS];
            end
            always @(posedge clk) begin
                dot2 <= dot;
                if (v2) acc <= acc_next;
                vt <= v2 && lg2; ft <= f2; lt <= l2; pt <= p2; rt <= r2;
                if (v2 && lg2) acct <= acc_next;
                if (rst) vt <= 1'b0;
            end
        end else begin : g_fft
            // forward FFT of the PE operand blocks (row 0) or their kept spectra (rows > 0)
            wire [PE*NB*XB-1:0] xr_new, xi_new;
            reg  [QG*PE*NB*XB-1:0] xs_re, xs_im;
            for (ge = 0; ge < PE; ge = ge + 1) begin : g_fwd
                wire [K*XB-1:0] in_re, out_re, out_im;
                for (gr = 0; gr < K; gr = gr + 1) begin : g_x
                    wire signed [ABITS-1:0] xv = op1[(ge*K + gr)*ABITS +: ABITS];
                    wire signed [XB-1:0] xw = xv;
                    assign in_re[gr*XB +: XB] = xw <<< XFRAC;
                end
                ernn_fft #(.K(K), .W(XB), .TBITS(TBITS), .INV(0), .TWFILE(TW_FILE)) u_fft
                    (.in_re(in_re), .in_im({K*XB{1'b0}}), .out_re(out_re), .out_im(out_im));
                assign xr_new[ge*NB*XB +: NB*XB] = out_re[0 +: NB*XB];
                assign xi_new[ge*NB*XB +: NB*XB] = out_im[0 +: NB*XB];
            end
            wire [PE*NB*XB-1:0] xr = (r1 == 0) ? xr_new : xs_re[g1*PE*NB*XB +: PE*NB*XB];
            wire [PE*NB*XB-1:0] xi = (r1 == 0) ? xi_new : xs_im[g1*PE*NB*XB +: PE*NB*XB];
            integer q;
            always @(posedge clk)
                for (q = 0; q < QG; q = q + 1)
                    if (v1 && r1 == 0 && g1 == q) begin
                        xs_re[q*PE*NB*XB +: PE*NB*XB] <= xr_new;
                        xs_im[q*PE*NB*XB +: PE*NB*XB] <= xi_new;
                    end

            // products with the stored spectra, summed over the PE blocks, then over the row
            reg  [NL*NB*AB-1:0] pr_sum, pi_sum, pr2, pi2, ar, ai, ar_next, ai_next, ar3, ai3;
            reg  [NL*K*ACCBITS-1:0] bias3;
            reg  v3, f3, l3;
            reg  [1:0] p3;
            reg  [RB-1:0] r3;
            integer l, m, b;
            always @* begin
                for (l = 0; l < NL; l = l + 1)
                    for (m = 0; m < NB; m = m + 1) begin : s_bin
                        reg signed [AB-1:0] sre, sim;
                        reg signed [WF-1:0] wre, wim;
                        reg signed [XB-1:0] xre, xim;
                        sre = 0; sim = 0;
                        for (b = 0; b < PE; b = b + 1) begin
                            wre = w_q[((l*PE + b)*K + m)*WF +: WF];
                            wim = (m > 0 && m < K / 2) ? w_q[((l*PE + b)*K + K / 2 + m)*WF +: WF] : {WF{1'b0}};
                            xre = xr[(b*NB + m)*XB +: XB];
                            xim = xi[(b*NB + m)*XB +: XB];
                            sre = sre + xre * wre - xim * wim;
                            sim = sim + xre * wim + xim * wre;
                        end
                        pr_sum[(l*NB + m)*AB +: AB] = sre;
                        pi_sum[(l*NB + m)*AB +: AB] = sim;
                    end
                for (l = 0; l < NL*NB; l = l + 1) begin
                    ar_next[l*AB +: AB] = (fg2 ? {AB{1'b0}} : ar[l*AB +: AB]) + pr2[l*AB +: AB];
                    ai_next[l*AB +: AB] = (fg2 ? {AB{1'b0}} : ai[l*AB +: AB]) + pi2[l*AB +: AB];
                end
            end
            // inverse FFT of each lane's Hermitian spectrum, round, add the bias
            wire [NL*K*ACCBITS-1:0] acc_f;
            for (gl = 0; gl < NL; gl = gl + 1) begin : g_inv
                wire [K*IB-1:0] br, bi, yr, yi;
                for (gm = 0; gm < K; gm = gm + 1) begin : g_b
                    localparam MM = (gm <= K / 2) ? gm : K - gm;
                    wire signed [AB-1:0] are = ar3[(gl*NB + MM)*AB +: AB];
                    wire signed [AB-1:0] aim = ai3[(gl*NB + MM)*AB +: AB];
                    wire signed [IB-1:0] ere = are;
                    wire signed [IB-1:0] eim = aim;
                    assign br[gm*IB +: IB] = ere;
                    assign bi[gm*IB +: IB] = (gm <= K / 2) ? eim : -eim;
                end
                ernn_fft #(.K(K), .W(IB), .TBITS(TBITS), .INV(1), .TWFILE(TW_FILE)) u_ifft
                    (.in_re(br), .in_im(bi), .out_re(yr), .out_im(yi));
                for (gm = 0; gm < K; gm = gm + 1) begin : g_y
                    wire signed [IB-1:0] y = yr[gm*IB +: IB];
                    wire signed [IB-1:0] rnd = (SH > 0) ? (1 << (SH - 1)) : 0;
                    wire signed [IB-1:0] d = (y + rnd) >>> SH;
                    assign acc_f[(gl*K + gm)*ACCBITS +: ACCBITS] =
                        bias3[(gl*K + gm)*ACCBITS +: ACCBITS] + d[ACCBITS-1:0];
                end
            end
            always @(posedge clk) begin
                pr2 <= pr_sum; pi2 <= pi_sum;
                if (v2) begin ar <= ar_next; ai <= ai_next; end
                v3 <= v2 && lg2; f3 <= f2; l3 <= l2; p3 <= p2; r3 <= r2; bias3 <= bias2;
                if (v2 && lg2) begin ar3 <= ar_next; ai3 <= ai_next; end
                vt <= v3; ft <= f3; lt <= l3; pt <= p3; rt <= r3; acct <= acc_f;
                if (rst) begin v3 <= 1'b0; vt <= 1'b0; end
            end
        end
    endgenerate

    // ------------------------------------------------------------------ tables
    // one ROM per lookup (a registered read port each), only for the lanes that need it:
    // LSTM sigmoid on i, f, o and tanh on g; GRU sigmoid on z, r (pass 0) and tanh on n
    reg            vb, fb, lb;
    reg  [1:0]     pb;
    reg  [RB-1:0]  rbw;
    wire [NL*K*GBITS-1:0] gs;          // sigmoid of every lane
    wire [NL*K*TW-1:0]    gt;          // tanh of every lane
    generate
        for (gl = 0; gl < NL*K; gl = gl + 1) begin : g_tab
            localparam LANE = gl / K;
            wire signed [ACCBITS-1:0] a = acct[gl*ACCBITS +: ACCBITS];
            wire signed [IW-1:0] ax = a;
            wire signed [IW-1:0] sc = (ax <<< SHL) >>> SHR;
            wire hi = (sc > $signed((1 << (LUTBITS - 1)) - 1));
            wire lo = (sc < -$signed(1 << (LUTBITS - 1)));
            wire [LUTBITS-1:0] idx = hi ? {1'b0, {(LUTBITS-1){1'b1}}} :
                                     lo ? {1'b1, {(LUTBITS-1){1'b0}}} : sc[LUTBITS-1:0];
            wire [LUTBITS-1:0] addr = {~idx[LUTBITS-1], idx[LUTBITS-2:0]};
            if (CELL ? 1 : (LANE != 2)) begin : g_sig
                ernn_rom #(.WIDTH(GBITS), .DEPTH(1 << LUTBITS), .FILE(SIG_FILE)) u_sig
                    (.clk(clk), .addr(addr), .q(gs[gl*GBITS +: GBITS]));
            end else begin : g_nosig
                assign gs[gl*GBITS +: GBITS] = {GBITS{1'b0}};
            end
            if (CELL ? (LANE == 0) : (LANE == 2)) begin : g_tanh
                ernn_rom #(.WIDTH(TW), .DEPTH(1 << LUTBITS), .FILE(TANH_FILE)) u_tanh
                    (.clk(clk), .addr(addr), .q(gt[gl*TW +: TW]));
            end else begin : g_notanh
                assign gt[gl*TW +: TW] = {TW{1'b0}};
            end
        end
    endgenerate

    // ------------------------------------------------------------------ cell (stage B)
    reg  [P*K*CBITS-1:0] c_mem;
    reg  [P*K*GBITS-1:0] z_mem;
    wire [K*ABITS-1:0] hprev = fb ? {K*ABITS{1'b0}} : h_state[rbw*K*ABITS +: K*ABITS];
    wire [K*CBITS-1:0] c_old = fb ? {K*CBITS{1'b0}} : c_mem[rbw*K*CBITS +: K*CBITS];
    wire [K*GBITS-1:0] z_old = z_mem[rbw*K*GBITS +: K*GBITS];
    wire [K*ABITS-1:0] h_new, rh_new;
    wire [K*CBITS-1:0] c_new;
    generate
        for (gr = 0; gr < K; gr = gr + 1) begin : g_cell
            wire signed [ABITS-1:0] hp = hprev[gr*ABITS +: ABITS];
            if (CELL == 0) begin : g_lstm
                wire [GBITS-1:0] si = gs[(0*K + gr)*GBITS +: GBITS];
                wire [GBITS-1:0] sf = gs[(1*K + gr)*GBITS +: GBITS];
                wire signed [TW-1:0] tg = gt[(2*K + gr)*TW +: TW];
                wire [GBITS-1:0] so = gs[(3*K + gr)*GBITS +: GBITS];
                wire signed [CBITS-1:0] co = c_old[gr*CBITS +: CBITS];
                wire signed [GBITS+CBITS:0] fc = ($signed({1'b0, sf}) * co) >>> GBITS;
                wire signed [2*GBITS+1:0] ig = ($signed({1'b0, si}) * tg) >>> (2 * GBITS - CF);
                localparam CW = ((GBITS + CBITS + 1) > (2 * GBITS + 2) ? (GBITS + CBITS + 1) : (2 * GBITS + 2)) + 1;
                wire signed [CW-1:0] cs = fc + ig;
                wire c_hi = cs > $signed((1 << (CBITS - 1)) - 1);
                wire c_lo = cs < -$signed(1 << (CBITS - 1));
                wire [CBITS-1:0] cn = c_hi ? {1'b0, {(CBITS-1){1'b1}}} :
                                      c_lo ? {1'b1, {(CBITS-1){1'b0}}} : cs[CBITS-1:0];
                wire [LUTBITS-1:0] cidx = cn[CBITS-1 -: LUTBITS];
                wire signed [TW-1:0] tc;
                ernn_arom #(.WIDTH(TW), .DEPTH(1 << LUTBITS), .FILE(TANH_FILE)) u_tc
                    (.addr({~cidx[LUTBITS-1], cidx[LUTBITS-2:0]}), .q(tc));
                wire signed [2*GBITS+2:0] oh = ($signed({1'b0, so}) * tc + $signed(1 << (HSH - 1))) >>> HSH;
                wire h_hi = oh > $signed((1 << (ABITS - 1)) - 1);
                wire h_lo = oh < -$signed(1 << (ABITS - 1));
                assign c_new[gr*CBITS +: CBITS] = cn;
                assign h_new[gr*ABITS +: ABITS] = h_hi ? {1'b0, {(ABITS-1){1'b1}}} :
                                                  h_lo ? {1'b1, {(ABITS-1){1'b0}}} : oh[ABITS-1:0];
                assign rh_new[gr*ABITS +: ABITS] = {ABITS{1'b0}};
            end else begin : g_gru
                // pass 0: r*h (round half up); pass 1: h' = (1-z) h + z n
                wire [GBITS-1:0] sr = gs[(1*K + gr)*GBITS +: GBITS];
                wire signed [GBITS+ABITS+1:0] rh = ($signed({1'b0, sr}) * hp + $signed(1 << (GBITS - 1))) >>> GBITS;
                assign rh_new[gr*ABITS +: ABITS] = rh[ABITS-1:0];
                wire [GBITS-1:0] z = z_old[gr*GBITS +: GBITS];
                wire signed [TW-1:0] n = gt[(0*K + gr)*TW +: TW];
                wire signed [GBITS+1:0] hg = hp <<< (GBITS - (ABITS - 1));
                wire signed [2*GBITS+4:0] v = (hg <<< GBITS) + $signed({1'b0, z}) * (n - hg)
                                              + $signed(1 << (HSH - 1));
                wire signed [2*GBITS+4:0] hr = v >>> HSH;
                wire h_hi = hr > $signed((1 << (ABITS - 1)) - 1);
                wire h_lo = hr < -$signed(1 << (ABITS - 1));
                assign h_new[gr*ABITS +: ABITS] = h_hi ? {1'b0, {(ABITS-1){1'b1}}} :
                                                  h_lo ? {1'b1, {(ABITS-1){1'b0}}} : hr[ABITS-1:0];
                assign c_new[gr*CBITS +: CBITS] = {CBITS{1'b0}};
            end
        end
    endgenerate

    // ------------------------------------------------------------------ sequential logic
    reg        vc, lc, pc_last;
    integer    u;
    always @(posedge clk) begin
        // stage 0 -> 1
        v1 <= issue; f1 <= first_s; l1 <= last_s; p1 <= pass; r1 <= row; g1 <= grp;
        fg1 <= (grp == 0); lg1 <= last_g;
        if (issue) op1 <= opnd;          // held otherwise (fewer events in simulation)
        // stage 1 -> 2
        v2 <= v1; f2 <= f1; l2 <= l1; p2 <= p1; r2 <= r1; fg2 <= fg1; lg2 <= lg1; bias2 <= b_q;
        // tables -> cell
        vb <= vt; fb <= ft; lb <= lt; pb <= pt; rbw <= rt;
        // cell write back
        for (u = 0; u < P; u = u + 1)
            if (vb && rbw == u) begin
                if (CELL == 0) begin
                    c_mem[u*K*CBITS +: K*CBITS] <= c_new;
                    h_next[u*K*ABITS +: K*ABITS] <= h_new;
                end else if (pb == 0) begin
                    z_mem[u*K*GBITS +: K*GBITS] <= gs[0 +: K*GBITS];
                    rh_buf[u*K*ABITS +: K*ABITS] <= rh_new;
                end else begin
                    h_next[u*K*ABITS +: K*ABITS] <= h_new;
                end
            end
        vc <= vb && (rbw == P - 1); lc <= lb; pc_last <= (pb == NPASS - 1);

        // output register
        if (out_valid && m_ready) out_valid <= 1'b0;
        if (vc && pc_last) begin
            h_state   <= h_next;
            out_data  <= h_next;
            out_valid <= 1'b1;
            out_last  <= lc;
        end
        open_passes <= open_passes + ((issue && last_g && last_r) ? 2'd1 : 2'd0) - (vc ? 2'd1 : 2'd0);

        // issue counters
        if (issue) begin
            if (at_start) begin
                x_cur <= s_data; first_cur <= seq_first; last_cur <= s_last; seq_first <= s_last;
            end
            if (!last_g) grp <= grp + 1'b1;
            else begin
                grp <= 0;
                if (!last_r) row <= row + 1'b1;
                else begin
                    row <= 0;
                    pass <= last_p ? 2'd0 : pass + 1'b1;
                end
            end
        end

        if (rst) begin
            pass <= 0; row <= 0; grp <= 0; open_passes <= 0; seq_first <= 1'b1;
            first_cur <= 1'b1; last_cur <= 1'b0; out_valid <= 1'b0; out_last <= 1'b0;
            v1 <= 1'b0; v2 <= 1'b0; vb <= 1'b0; vc <= 1'b0;
            h_state <= {HIDDEN*ABITS{1'b0}};
        end
    end
endmodule

// ROM with a registered read port, initialised from a hex file (one word a line);
// BLOCK=1 asks for block RAM (the weight ROM), else the tool chooses.
module ernn_rom #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1,
    parameter FILE  = "",
    parameter BLOCK = 0
) (
    input                  clk,
    input      [AW-1:0]    addr,
    output reg [WIDTH-1:0] q
);
    generate
        if (BLOCK) begin : g_block
            (* rom_style = "block", ram_style = "block" *)
            reg [WIDTH-1:0] mem [0:DEPTH-1];
            initial $readmemh(FILE, mem);
            always @(posedge clk) q <= mem[addr];
        end else begin : g_auto
            reg [WIDTH-1:0] mem [0:DEPTH-1];
            initial $readmemh(FILE, mem);
            always @(posedge clk) q <= mem[addr];
        end
    endgenerate
endmodule

// ROM with an asynchronous read port (distributed logic), initialised from a hex file.
module ernn_arom #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1,
    parameter FILE  = ""
) (
    input  [AW-1:0]    addr,
    output [WIDTH-1:0] q
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    initial $readmemh(FILE, mem);
    assign q = mem[addr];
endmodule
