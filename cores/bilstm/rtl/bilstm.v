`timescale 1ns/1ps
// verilator lint_off WIDTH
// BiLSTM layer (FINN-L, Rybalkin et al., FPL 2018): LSTM without peepholes, forward and
// backward directions time-multiplexed on one datapath. Plain Verilog-2005.
//
// Arithmetic, number formats and the ROM/table files: see fpgaflow/models/bilstm.py
// (the bit-exact reference model; it writes the hex files this module reads).
//
// Streams (valid/ready, a beat moves when valid && ready):
//   in : s_data[p*ABITS +: ABITS] = pixel p of one column (signed, ABITS-1 fraction bits),
//        s_last on the last column of a sequence (or the sequence ends at MAXLEN columns).
//        The whole sequence is buffered first (s_ready is high only while loading).
//   out: one beat per time step s = 0..T-1:
//        m_data = {h_bwd(column T-1-s), h_fwd(column s)}, unit j of a direction at
//        [j*ABITS +: ABITS]; m_last on the last step of the sequence.
// Schedule: for s, for direction d in {fwd, bwd}, for unit group grp (PE units), for fold k:
// one issue per cycle, NF = max(INPUT/SIMD_IN, HIDDEN/SIMD_REC) folds, so one column costs
// 2*(HIDDEN/PE)*NF cycles. A direction may start a new step only when its previous step
// has been written back (the other direction's step hides that latency when
// (HIDDEN/PE)*NF >= 10, the depth from issue to the state update).
module bilstm #(
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
    parameter SEQLEN   = 16,          // test-vector sequence length; not used by the logic
    parameter WX_FILE   = "bilstm_wx.hex",
    parameter WH_FILE   = "bilstm_wh.hex",
    parameter BIAS_FILE = "bilstm_bias.hex",
    parameter SIG_FILE  = "bilstm_sigmoid.hex",
    parameter TANH_FILE = "bilstm_tanh.hex"
) (
    input                         clk,
    input                         rst,
    input                         s_valid,
    output                        s_ready,
    input  [INPUT*ABITS-1:0]      s_data,
    input                         s_last,
    output                        m_valid,
    input                         m_ready,
    output [2*HIDDEN*ABITS-1:0]   m_data,
    output                        m_last
);
    // ------------------------------------------------------------------ geometry
    localparam G      = HIDDEN / PE;                 // unit groups per direction
    localparam FI     = INPUT / SIMD_IN;             // input folds
    localparam FR     = HIDDEN / SIMD_REC;           // recurrent folds
    localparam NF     = (FI > FR) ? FI : FR;         // folds per unit group
    localparam DEPTH  = 2 * G * NF;                  // weight ROM depth
    localparam AWR    = (DEPTH > 1) ? $clog2(DEPTH) : 1;
    localparam AWB    = (2 * G > 1) ? $clog2(2 * G) : 1;
    localparam AWX    = (MAXLEN > 1) ? $clog2(MAXLEN) : 1;
    localparam GW     = (G > 1) ? $clog2(G) : 1;
    localparam KW     = (NF > 1) ? $clog2(NF) : 1;
    localparam HW     = HIDDEN * ABITS;              // one direction's hidden state
    localparam XW     = INPUT * ABITS;               // one column
    localparam PW     = WBITS + ABITS;               // product
    localparam DW     = PW + $clog2(SIMD_IN + SIMD_REC + 1) + 1;  // dot product, exact
    localparam FA     = WBITS + ABITS - 2;           // accumulator fraction bits
    localparam LF     = LUTBITS - 4;                 // table index fraction bits
    localparam SHR    = (FA > LF) ? FA - LF : 0;
    localparam SHL    = (LF > FA) ? LF - FA : 0;
    localparam IW     = ACCBITS + SHL;               // scaled accumulator
    localparam CF     = CBITS - 4;                   // cell fraction bits
    localparam IGSH   = 2 * GBITS - CF;
    localparam HSH    = 2 * GBITS - (ABITS - 1);
    localparam TW     = GBITS + 1;                   // tanh table width
    localparam LD     = 1 << LUTBITS;                // table depth
    localparam NPQ    = 4 * PE;                      // gate accumulators

    // ------------------------------------------------------------------ control (stage 0)
    localparam ST_LOAD = 2'd0, ST_RUN = 2'd1, ST_DRAIN = 2'd2;
    reg  [1:0]      state;
    reg  [AWX-1:0]  wr_ptr, t_last, step;
    reg             dir;
    reg  [GW-1:0]   grp;
    reg  [KW-1:0]   k;
    reg  [1:0]      wb_done;          // direction's previous step fully written back
    reg             out_valid, out_last;
    reg  [2*HW-1:0] out_data;
    reg  [HW-1:0]   h_state0, h_state1, h_next0, h_next1;

    wire start_ds = (grp == 0) && (k == 0);
    wire issue = (state == ST_RUN) &&
                 (!start_ds || (wb_done[dir] && (dir == 1'b0 || !out_valid)));
    wire last_k   = (k == NF - 1);
    wire last_g   = (grp == G - 1);
    wire last_s   = (step == t_last);

    assign s_ready = (state == ST_LOAD);
    assign m_valid = out_valid;
    assign m_data  = out_data;
    assign m_last  = out_last;

    wire [AWR-1:0] rom_addr  = (dir * G + grp) * NF + k;
    wire [AWB-1:0] bias_addr = dir * G + grp;
    wire [AWX-1:0] x_addr    = dir ? (t_last - step) : step;

    // ------------------------------------------------------------------ memories
    wire [4*PE*SIMD_IN*WBITS-1:0]  wx_q;
    wire [4*PE*SIMD_REC*WBITS-1:0] wh_q;
    wire [NPQ*ACCBITS-1:0]         bias_q;
    wire [XW-1:0]                  xcol;

    bilstm_rom #(.WIDTH(4*PE*SIMD_IN*WBITS), .DEPTH(DEPTH), .FILE(WX_FILE), .BLOCK(1))
        u_wx (.clk(clk), .addr(rom_addr), .q(wx_q));
    bilstm_rom #(.WIDTH(4*PE*SIMD_REC*WBITS), .DEPTH(DEPTH), .FILE(WH_FILE), .BLOCK(1))
        u_wh (.clk(clk), .addr(rom_addr), .q(wh_q));
    bilstm_rom #(.WIDTH(NPQ*ACCBITS), .DEPTH(2*G), .FILE(BIAS_FILE), .BLOCK(1))
        u_bias (.clk(clk), .addr(bias_addr), .q(bias_q));
    bilstm_ram #(.WIDTH(XW), .DEPTH(MAXLEN))
        u_xbuf (.clk(clk), .we(s_valid && s_ready), .waddr(wr_ptr), .wdata(s_data),
                .raddr(x_addr), .q(xcol));

    // ------------------------------------------------------------------ stage 1: operands
    reg           v1, d1, f1, lk1, fs1, lg1, ls1;
    reg  [KW-1:0] k1;
    reg  [GW-1:0] g1;
    wire [KW-1:0] kx = (k1 < FI) ? k1 : {KW{1'b0}};
    wire [KW-1:0] kr = (k1 < FR) ? k1 : {KW{1'b0}};
    wire [XW-1:0] xcol_s = xcol;
    wire [HW-1:0] hsel = d1 ? h_state1 : h_state0;
    wire [SIMD_IN*ABITS-1:0]  xs = xcol_s[kx*SIMD_IN*ABITS +: SIMD_IN*ABITS];
    wire [SIMD_REC*ABITS-1:0] hs = hsel[kr*SIMD_REC*ABITS +: SIMD_REC*ABITS];

    // stage 1 -> 1b: every product is registered (small multipliers, short cones for ABC);
    // stage 1b: the dot products of the four gates of PE units (weights beyond INPUT/HIDDEN
    // are zero)
    reg                    v1b, d1b, f1b, lk1b, fs1b, lg1b, ls1b;
    reg  [GW-1:0]          g1b;
    reg  [NPQ*ACCBITS-1:0] bias1b;
    wire [NPQ*DW-1:0]      dot;
    genvar gpq, gl;
    generate
        for (gpq = 0; gpq < NPQ; gpq = gpq + 1) begin : g_dot
            wire [SIMD_IN*PW-1:0]  pxv;
            wire [SIMD_REC*PW-1:0] phv;
            for (gl = 0; gl < SIMD_IN; gl = gl + 1) begin : g_in
                reg signed [PW-1:0] pr;
                always @(posedge clk)
                    pr <= $signed(wx_q[(gpq*SIMD_IN+gl)*WBITS +: WBITS]) *
                          $signed(xs[gl*ABITS +: ABITS]);
                assign pxv[gl*PW +: PW] = pr;
            end
            for (gl = 0; gl < SIMD_REC; gl = gl + 1) begin : g_rec
                reg signed [PW-1:0] pr;
                always @(posedge clk)
                    pr <= $signed(wh_q[(gpq*SIMD_REC+gl)*WBITS +: WBITS]) *
                          $signed(hs[gl*ABITS +: ABITS]);
                assign phv[gl*PW +: PW] = pr;
            end
            reg signed [DW-1:0] sum;
            integer l;
            always @* begin
                sum = {DW{1'b0}};
                for (l = 0; l < SIMD_IN; l = l + 1)  sum = sum + $signed(pxv[l*PW +: PW]);
                for (l = 0; l < SIMD_REC; l = l + 1) sum = sum + $signed(phv[l*PW +: PW]);
            end
            assign dot[gpq*DW +: DW] = sum;
        end
    endgenerate

    // ------------------------------------------------------------------ stage 2: accumulate
    reg                   v2, d2, f2, lk2, fs2, lg2, ls2;
    reg  [GW-1:0]         g2;
    reg  [NPQ*DW-1:0]     dot2;
    reg  [NPQ*ACCBITS-1:0] bias2, acc;
    reg  [NPQ*ACCBITS-1:0] acc_next;
    integer i;
    always @* begin
        for (i = 0; i < NPQ; i = i + 1)
            acc_next[i*ACCBITS +: ACCBITS] =
                (f2 ? bias2[i*ACCBITS +: ACCBITS] : acc[i*ACCBITS +: ACCBITS]) +
                {{ACCBITS{dot2[i*DW+DW-1]}}, dot2[i*DW +: DW]};
    end

    // ------------------------------------------------------------------ stage 3: table index
    reg                    v3, d3, fs3, lg3, ls3;
    reg  [GW-1:0]          g3;
    reg  [NPQ*ACCBITS-1:0] acc3;
    wire [NPQ*LUTBITS-1:0] taddr;
    generate
        for (gpq = 0; gpq < NPQ; gpq = gpq + 1) begin : g_idx
            wire signed [ACCBITS-1:0] a = acc3[gpq*ACCBITS +: ACCBITS];
            wire signed [IW-1:0] ax = a;
            wire signed [IW-1:0] sc = (ax <<< SHL) >>> SHR;
            wire hi = (sc > $signed((1 << (LUTBITS - 1)) - 1));
            wire lo = (sc < -$signed(1 << (LUTBITS - 1)));
            wire [LUTBITS-1:0] idx = hi ? {1'b0, {(LUTBITS-1){1'b1}}} :
                                     lo ? {1'b1, {(LUTBITS-1){1'b0}}} : sc[LUTBITS-1:0];
            assign taddr[gpq*LUTBITS +: LUTBITS] = {~idx[LUTBITS-1], idx[LUTBITS-2:0]};
        end
    endgenerate

    // ------------------------------------------------------------------ stage 4..7: cell
    reg                 v4, d4, fs4, lg4, ls4;
    reg  [GW-1:0]       g4;
    reg                 v5, d5, lg5, ls5;
    reg  [GW-1:0]       g5;
    reg                 v6, d6, lg6, ls6;
    reg  [GW-1:0]       g6;
    reg                 v7, d7, lg7, ls7;
    reg  [GW-1:0]       g7;
    reg  [PE*ABITS-1:0] h7;
    wire [PE*CBITS-1:0] c_old_q;
    wire [PE*CBITS-1:0] c_new;
    wire [PE*ABITS-1:0] h_new;

    wire [AWB-1:0] c_waddr = d5 * G + g5;
    wire [AWB-1:0] c_raddr = d3 * G + g3;
    bilstm_ram #(.WIDTH(PE*CBITS), .DEPTH(2*G))
        u_cell (.clk(clk), .we(v5), .waddr(c_waddr), .wdata(c_new),
                .raddr(c_raddr), .q(c_old_q));

    generate
        for (gpq = 0; gpq < PE; gpq = gpq + 1) begin : g_cell
            wire [GBITS-1:0] sig_i, sig_f, sig_o;
            wire [TW-1:0]    tanh_g, tanh_c;
            bilstm_rom #(.WIDTH(GBITS), .DEPTH(LD), .FILE(SIG_FILE)) u_si
                (.clk(clk), .addr(taddr[(gpq*4+0)*LUTBITS +: LUTBITS]), .q(sig_i));
            bilstm_rom #(.WIDTH(GBITS), .DEPTH(LD), .FILE(SIG_FILE)) u_sf
                (.clk(clk), .addr(taddr[(gpq*4+1)*LUTBITS +: LUTBITS]), .q(sig_f));
            bilstm_rom #(.WIDTH(TW), .DEPTH(LD), .FILE(TANH_FILE)) u_tg
                (.clk(clk), .addr(taddr[(gpq*4+2)*LUTBITS +: LUTBITS]), .q(tanh_g));
            bilstm_rom #(.WIDTH(GBITS), .DEPTH(LD), .FILE(SIG_FILE)) u_so
                (.clk(clk), .addr(taddr[(gpq*4+3)*LUTBITS +: LUTBITS]), .q(sig_o));

            // stage 4: f*c and i*g
            wire signed [CBITS-1:0] c_old = fs4 ? {CBITS{1'b0}} : c_old_q[gpq*CBITS +: CBITS];
            wire signed [GBITS+CBITS:0]   fc_full = $signed({1'b0, sig_f}) * c_old;
            wire signed [2*GBITS+1:0]     ig_full = $signed({1'b0, sig_i}) * $signed(tanh_g);
            reg  signed [GBITS+CBITS:0]   fc5;
            reg  signed [2*GBITS+1:0]     ig5;
            reg         [GBITS-1:0]       o5, o6;
            always @(posedge clk) begin
                fc5 <= fc_full >>> GBITS;
                ig5 <= ig_full >>> IGSH;
                o5  <= sig_o;
                o6  <= o5;
            end

            // stage 5: c' = sat(fc + ig), tanh(c') lookup
            localparam SW = ((GBITS + CBITS + 1) > (2 * GBITS + 2) ? (GBITS + CBITS + 1)
                                                                  : (2 * GBITS + 2)) + 1;
            wire signed [SW-1:0] csum = fc5 + ig5;
            wire c_hi = csum > $signed((1 << (CBITS - 1)) - 1);
            wire c_lo = csum < -$signed(1 << (CBITS - 1));
            wire [CBITS-1:0] cs = c_hi ? {1'b0, {(CBITS-1){1'b1}}} :
                                  c_lo ? {1'b1, {(CBITS-1){1'b0}}} : csum[CBITS-1:0];
            assign c_new[gpq*CBITS +: CBITS] = cs;
            wire [LUTBITS-1:0] cidx = cs[CBITS-1 -: LUTBITS];
            bilstm_rom #(.WIDTH(TW), .DEPTH(LD), .FILE(TANH_FILE)) u_tc
                (.clk(clk), .addr({~cidx[LUTBITS-1], cidx[LUTBITS-2:0]}), .q(tanh_c));

            // stage 6: h = sat(round(o * tanh(c')))
            wire signed [2*GBITS+2:0] oh = $signed({1'b0, o6}) * $signed(tanh_c)
                                           + $signed(1 << (HSH - 1));
            wire signed [2*GBITS+2:0] hr = oh >>> HSH;
            wire h_hi = hr > $signed((1 << (ABITS - 1)) - 1);
            wire h_lo = hr < -$signed(1 << (ABITS - 1));
            assign h_new[gpq*ABITS +: ABITS] = h_hi ? {1'b0, {(ABITS-1){1'b1}}} :
                                               h_lo ? {1'b1, {(ABITS-1){1'b0}}} : hr[ABITS-1:0];
        end
    endgenerate

    // ------------------------------------------------------------------ stage 7: write back
    // h7 goes to its slice of h_next (decoded enables, no variable part-select on the left);
    // one cycle after the last group, h_next becomes the direction's state (stage 8).
    reg          v8, d8, ls8;
    integer      u;
    // ------------------------------------------------------------------ sequential logic
    always @(posedge clk) begin
        // pipeline registers (no stalls inside the pipeline)
        v1 <= issue; d1 <= dir; k1 <= k; g1 <= grp; f1 <= (k == 0); lk1 <= last_k;
        fs1 <= (step == 0); lg1 <= last_g; ls1 <= last_s;
        v1b <= v1; f1b <= f1; lk1b <= lk1; fs1b <= fs1; lg1b <= lg1; ls1b <= ls1; g1b <= g1;
        d1b <= d1; bias1b <= bias_q;
        v2 <= v1b; d2 <= d1b; g2 <= g1b; f2 <= f1b; lk2 <= lk1b; fs2 <= fs1b; lg2 <= lg1b;
        ls2 <= ls1b; dot2 <= dot; bias2 <= bias1b;
        if (v2) acc <= acc_next;
        v3 <= v2 && lk2; d3 <= d2; g3 <= g2; fs3 <= fs2; lg3 <= lg2; ls3 <= ls2;
        if (v2 && lk2) acc3 <= acc_next;
        v4 <= v3; d4 <= d3; g4 <= g3; fs4 <= fs3; lg4 <= lg3; ls4 <= ls3;
        v5 <= v4; d5 <= d4; g5 <= g4; lg5 <= lg4; ls5 <= ls4;
        v6 <= v5; d6 <= d5; g6 <= g5; lg6 <= lg5; ls6 <= ls5;
        v7 <= v6; d7 <= d6; g7 <= g6; lg7 <= lg6; ls7 <= ls6; h7 <= h_new;

        // write back (the output register is free here: a backward step starts only
        // after the previous output beat has been taken)
        if (out_valid && m_ready) out_valid <= 1'b0;
        for (u = 0; u < G; u = u + 1) begin
            if (v7 && !d7 && g7 == u) h_next0[u*PE*ABITS +: PE*ABITS] <= h7;
            if (v7 &&  d7 && g7 == u) h_next1[u*PE*ABITS +: PE*ABITS] <= h7;
        end
        v8 <= v7 && lg7; d8 <= d7; ls8 <= ls7;
        if (v8) begin
            wb_done[d8] <= 1'b1;
            if (d8) begin
                h_state1  <= h_next1;
                out_data  <= {h_next1, h_state0};
                out_valid <= 1'b1;
                out_last  <= ls8;
            end else begin
                h_state0  <= h_next0;
            end
        end

        // issue control
        case (state)
            ST_LOAD: if (s_valid) begin
                if (s_last || wr_ptr == MAXLEN - 1) begin
                    t_last <= wr_ptr; wr_ptr <= 0; state <= ST_RUN;
                    step <= 0; dir <= 1'b0; grp <= 0; k <= 0;
                    h_state0 <= {HW{1'b0}}; h_state1 <= {HW{1'b0}};
                    wb_done <= 2'b11;
                end else begin
                    wr_ptr <= wr_ptr + 1'b1;
                end
            end
            ST_RUN: if (issue) begin
                if (start_ds) wb_done[dir] <= 1'b0;
                if (!last_k) k <= k + 1'b1;
                else begin
                    k <= 0;
                    if (!last_g) grp <= grp + 1'b1;
                    else begin
                        grp <= 0;
                        dir <= ~dir;
                        if (dir) begin
                            if (last_s) state <= ST_DRAIN;
                            else step <= step + 1'b1;
                        end
                    end
                end
            end
            default: if (wb_done == 2'b11 && !out_valid) state <= ST_LOAD;
        endcase

        if (rst) begin
            state <= ST_LOAD; wr_ptr <= 0; t_last <= 0; step <= 0; dir <= 1'b0;
            grp <= 0; k <= 0; wb_done <= 2'b11; out_valid <= 1'b0; out_last <= 1'b0;
            v1 <= 1'b0; v2 <= 1'b0; v3 <= 1'b0; v4 <= 1'b0; v5 <= 1'b0; v6 <= 1'b0;
            v7 <= 1'b0; v8 <= 1'b0; v1b <= 1'b0;
        end
    end
endmodule
