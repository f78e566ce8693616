`timescale 1ns/1ps
// verilator lint_off WIDTH
// BiLSTM OCR network (FINN-L, Rybalkin et al., FPL 2018; Xilinx/LSTM-PYNQ): the hidden layer
// (LSTM without peepholes, forward and backward directions time-multiplexed on one
// datapath), the fully connected output layer over both directions, MaxPerColumn and
// FinalLabeling. Plain Verilog-2005.
//
// Arithmetic: FINN-L's fixed-point formats, quantity by quantity (the bit-exact model
// fpgaflow/models/bilstm.py lists them and writes the ROM/table hex files read here):
// products to <16,8> (AP_RND_ZERO: nearest, ties toward zero), 16-bit wrapping sums, two 8-bit biases, the
// 256-entry tables indexed over [-5,5]/[-3,3], i*g and f*c convergently rounded to the
// <16,8> state, saturating c, h convergently rounded and saturated to ABITS.
//
// Streams (valid/ready, a beat moves when valid && ready):
//   in : s_data[p*ABITS +: ABITS] = pixel p of one column, s_last on the last column of a
//        sequence (or the sequence ends at MAXLEN columns). The whole sequence is buffered
//        first (s_ready is high only while loading).
//   m_*: one beat per time step s = 0..T-1: {h_bw(column T-1-s), h_fw(column s)}.
//   sc_*: (observation, no ready) the CLASSES scores of every column, FINN-L's
//        Concatenator order; l_*: FinalLabeling's labels, then CLASSES with l_last.
// Phases per sequence: load (T cycles), hidden layer (T*2*(HIDDEN/PE)*NF), output layer
// (T*CLASSES*HIDDEN/SIMD_FC), labeling (T+1).
module bilstm #(
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
    parameter SEQLEN   = 16,          // test-vector sequence length; not used by the logic
    parameter WEIGHTS  = "",          // the model's weights file (ROM contents); not used by the logic
    parameter WX_FILE   = "bilstm_wx.hex",
    parameter WH_FILE   = "bilstm_wh.hex",
    parameter BIAS_FILE = "bilstm_bias.hex",
    parameter SIG_FILE  = "bilstm_sigmoid.hex",
    parameter TANH_FILE = "bilstm_tanh.hex",
    parameter WFC_FILE  = "bilstm_wfc.hex",
    parameter BFC_FILE  = "bilstm_bfc.hex",
    parameter LW        = (CLASSES + 1 > 1) ? $clog2(CLASSES + 1) : 1
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
    output                        m_last,
    output                        sc_valid,
    output [15:0]                 sc_data,
    output                        l_valid,
    input                         l_ready,
    output [LW-1:0]               l_data,
    output                        l_last
);
    // ------------------------------------------------------------------ geometry
    localparam G      = HIDDEN / PE;                 // unit groups per direction
    localparam FI     = INPUT / SIMD_IN;             // input folds
    localparam FR     = HIDDEN / SIMD_REC;           // recurrent folds
    localparam NF     = (FI > FR) ? FI : FR;         // folds per unit group
    localparam FF     = HIDDEN / SIMD_FC;            // output-layer folds
    localparam DEPTH  = 2 * G * NF;                  // weight ROM depth
    localparam AWR    = (DEPTH > 1) ? $clog2(DEPTH) : 1;
    localparam AWB    = (2 * G > 1) ? $clog2(2 * G) : 1;
    localparam AWX    = (MAXLEN > 1) ? $clog2(MAXLEN) : 1;
    localparam GW     = (G > 1) ? $clog2(G) : 1;
    localparam KW     = (NF > 1) ? $clog2(NF) : 1;
    localparam FW     = (FF > 1) ? $clog2(FF) : 1;
    localparam CW     = (CLASSES > 1) ? $clog2(CLASSES) : 1;
    localparam AWF    = (CLASSES * FF > 1) ? $clog2(CLASSES * FF) : 1;
    localparam HW     = HIDDEN * ABITS;              // one direction's hidden state
    localparam XW     = INPUT * ABITS;               // one column
    localparam PW     = WBITS + ABITS;               // hidden-layer product
    localparam FP     = WBITS + ABITS - 2;           // its fraction bits
    localparam FPF    = ABITS - 1 + 7;               // output-layer product fraction bits
    localparam NPQ    = 4 * PE;                      // gate sums

    // ------------------------------------------------------------------ control
    localparam ST_LOAD = 3'd0, ST_RUN = 3'd1, ST_DRAIN = 3'd2, ST_OUT = 3'd3, ST_OUTW = 3'd4,
               ST_LAB = 3'd5, ST_TERM = 3'd6;
    reg  [2:0]      state;
    reg  [AWX-1:0]  wr_ptr, t_last, step;
    reg             dir;
    reg  [GW-1:0]   grp;
    reg  [KW-1:0]   k;
    reg  [1:0]      wb_done;          // direction's previous step fully written back
    reg             out_valid, out_last;
    reg  [2*HW-1:0] out_data;
    reg  [HW-1:0]   h_state0, h_state1, h_next0, h_next1;
    reg  [AWX-1:0]  nfw, nbw;         // hidden outputs written back per direction

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
    wire [NPQ*16-1:0]              bias_q;
    wire [XW-1:0]                  xcol;

    bilstm_rom #(.WIDTH(4*PE*SIMD_IN*WBITS), .DEPTH(DEPTH), .FILE(WX_FILE), .BLOCK(1))
        u_wx (.clk(clk), .addr(rom_addr), .q(wx_q));
    bilstm_rom #(.WIDTH(4*PE*SIMD_REC*WBITS), .DEPTH(DEPTH), .FILE(WH_FILE), .BLOCK(1))
        u_wh (.clk(clk), .addr(rom_addr), .q(wh_q));
    bilstm_rom #(.WIDTH(NPQ*16), .DEPTH(2*G), .FILE(BIAS_FILE), .BLOCK(1))
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
    wire          ux = (k1 < FI);     // this fold has input / recurrent lanes
    wire          ur = (k1 < FR);
    wire [HW-1:0] hsel = d1 ? h_state1 : h_state0;
    wire [SIMD_IN*ABITS-1:0]  xs = ux ? xcol[kx*SIMD_IN*ABITS +: SIMD_IN*ABITS] : 0;
    wire [SIMD_REC*ABITS-1:0] hs = ur ? hsel[kr*SIMD_REC*ABITS +: SIMD_REC*ABITS] : 0;

    // stage 1 -> 1b: every product is registered; stage 1b: each product to <16,8>
    // (AP_RND_ZERO: nearest, ties toward zero, when it has more than 8 fraction bits), the
    // 16-bit wrapping dot product
    reg                 v1b, d1b, f1b, lk1b, fs1b, lg1b, ls1b;
    reg  [GW-1:0]       g1b;
    reg  [NPQ*16-1:0]   bias1b;
    wire [NPQ*16-1:0]   dot;
    genvar gpq, gl;
    generate
        for (gpq = 0; gpq < NPQ; gpq = gpq + 1) begin : g_dot
            wire [SIMD_IN*16-1:0]  pxv;
            wire [SIMD_REC*16-1:0] phv;
            for (gl = 0; gl < SIMD_IN; gl = gl + 1) begin : g_in
                reg signed [PW-1:0] pr;
                always @(posedge clk)
                    pr <= $signed(wx_q[(gpq*SIMD_IN+gl)*WBITS +: WBITS]) *
                          $signed(xs[gl*ABITS +: ABITS]);
                bilstm_fx #(.IW(PW), .SH(FP - 8), .MODE(0)) u_q (.a(pr), .q(pxv[gl*16 +: 16]));
            end
            for (gl = 0; gl < SIMD_REC; gl = gl + 1) begin : g_rec
                reg signed [PW-1:0] pr;
                always @(posedge clk)
                    pr <= $signed(wh_q[(gpq*SIMD_REC+gl)*WBITS +: WBITS]) *
                          $signed(hs[gl*ABITS +: ABITS]);
                bilstm_fx #(.IW(PW), .SH(FP - 8), .MODE(0)) u_q (.a(pr), .q(phv[gl*16 +: 16]));
            end
            reg [15:0] sum;
            integer l;
            always @* begin
                sum = 16'd0;
                for (l = 0; l < SIMD_IN; l = l + 1)  sum = sum + pxv[l*16 +: 16];
                for (l = 0; l < SIMD_REC; l = l + 1) sum = sum + phv[l*16 +: 16];
            end
            assign dot[gpq*16 +: 16] = sum;
        end
    endgenerate

    // ------------------------------------------------------------------ stage 2: gate sums
    // sum = bias_ih + bias_hh + dot_in + dot_rec in <16,8,WRAP> (biases <8,1>: one shift)
    reg                v2, d2, f2, lk2, fs2, lg2, ls2;
    reg  [GW-1:0]      g2;
    reg  [NPQ*16-1:0]  dot2, bias2, acc;
    reg  [NPQ*16-1:0]  acc_next;
    integer i;
    always @* begin
        for (i = 0; i < NPQ; i = i + 1)
            acc_next[i*16 +: 16] =
                (f2 ? ({{7{bias2[i*16+7]}}, bias2[i*16 +: 8], 1'b0} +
                       {{7{bias2[i*16+15]}}, bias2[i*16+8 +: 8], 1'b0})
                    : acc[i*16 +: 16]) + dot2[i*16 +: 16];
    end

    // ------------------------------------------------------------------ stage 3: table index
    // gates i, f, o: sigmoid over [-5, 5]; gate g: tanh over [-3, 3] (FINN-L's affine index)
    reg                v3, d3, fs3, lg3, ls3;
    reg  [GW-1:0]      g3;
    reg  [NPQ*16-1:0]  acc3;
    wire [NPQ*8-1:0]   taddr;
    generate
        for (gpq = 0; gpq < NPQ; gpq = gpq + 1) begin : g_idx
            bilstm_lut_index #(.TANH((gpq % 4) == 2)) u_ix
                (.x(acc3[gpq*16 +: 16]), .idx(taddr[gpq*8 +: 8]));
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
    wire [PE*16-1:0]    c_old_q;
    wire [PE*16-1:0]    c_new;
    wire [PE*ABITS-1:0] h_new;

    wire [AWB-1:0] c_waddr = d5 * G + g5;
    wire [AWB-1:0] c_raddr = d3 * G + g3;
    bilstm_ram #(.WIDTH(PE*16), .DEPTH(2*G))
        u_cell (.clk(clk), .we(v5), .waddr(c_waddr), .wdata(c_new),
                .raddr(c_raddr), .q(c_old_q));

    generate
        for (gpq = 0; gpq < PE; gpq = gpq + 1) begin : g_cell
            wire [7:0] sig_i, sig_f, sig_o;     // ap_ufixed<8,1>
            wire [7:0] tanh_g, tanh_c;          // ap_fixed<8,2>
            bilstm_rom #(.WIDTH(8), .DEPTH(256), .FILE(SIG_FILE)) u_si
                (.clk(clk), .addr(taddr[(gpq*4+0)*8 +: 8]), .q(sig_i));
            bilstm_rom #(.WIDTH(8), .DEPTH(256), .FILE(SIG_FILE)) u_sf
                (.clk(clk), .addr(taddr[(gpq*4+1)*8 +: 8]), .q(sig_f));
            bilstm_rom #(.WIDTH(8), .DEPTH(256), .FILE(TANH_FILE)) u_tg
                (.clk(clk), .addr(taddr[(gpq*4+2)*8 +: 8]), .q(tanh_g));
            bilstm_rom #(.WIDTH(8), .DEPTH(256), .FILE(SIG_FILE)) u_so
                (.clk(clk), .addr(taddr[(gpq*4+3)*8 +: 8]), .q(sig_o));

            // stage 4: i*g and f*c, each to the state <16,8,RND_CONV,SAT> (never saturate:
            // |i*g| <= 1, |f*c| <= |c|)
            wire signed [15:0] c_old = c_old_q[gpq*16 +: 16];
            wire signed [24:0] fc_full = $signed({1'b0, sig_f}) * c_old;      // 15 fraction bits
            wire signed [16:0] ig_full = $signed({1'b0, sig_i}) * $signed(tanh_g);  // 13
            wire [15:0] fc_q, ig_q;
            bilstm_fx #(.IW(25), .SH(7), .MODE(1)) u_fc (.a(fc_full), .q(fc_q));
            bilstm_fx #(.IW(17), .SH(5), .MODE(1)) u_ig (.a(ig_full), .q(ig_q));
            reg  signed [15:0] fc5, ig5;
            reg         [7:0]  o5, o6;
            reg                fs5;
            always @(posedge clk) begin
                fc5 <= fc_q;
                ig5 <= ig_q;
                fs5 <= fs4;
                o5  <= sig_o;
                o6  <= o5;
            end

            // stage 5: c' = sat(i*g + f*c) (first column: c' = i*g), tanh(c') lookup
            wire signed [16:0] csum = fs5 ? $signed({ig5[15], ig5}) : ig5 + fc5;
            wire [15:0] cs = (csum > 17'sd32767) ? 16'h7fff :
                             (csum < -17'sd32768) ? 16'h8000 : csum[15:0];
            assign c_new[gpq*16 +: 16] = cs;
            wire [7:0] cidx;
            bilstm_lut_index #(.TANH(1)) u_cx (.x(cs), .idx(cidx));
            bilstm_rom #(.WIDTH(8), .DEPTH(256), .FILE(TANH_FILE)) u_tc
                (.clk(clk), .addr(cidx), .q(tanh_c));

            // stage 6: h = tanh(c') * o to <ABITS,1,RND_CONV,SAT> (13 -> ABITS-1 fraction bits)
            wire signed [16:0] oh = $signed({1'b0, o6}) * $signed(tanh_c);
            wire [15:0] hr;
            bilstm_fx #(.IW(17), .SH(14 - ABITS), .MODE(1)) u_h (.a(oh), .q(hr));
            wire signed [15:0] hs16 = hr;
            wire h_hi = hs16 > $signed((1 << (ABITS - 1)) - 1);
            wire h_lo = hs16 < -$signed(1 << (ABITS - 1));
            assign h_new[gpq*ABITS +: ABITS] = h_hi ? {1'b0, {(ABITS-1){1'b1}}} :
                                               h_lo ? {1'b1, {(ABITS-1){1'b0}}} : hr[ABITS-1:0];
        end
    endgenerate

    // ------------------------------------------------------------------ hidden outputs by column
    reg            v8, d8, ls8;
    wire           hb_we0 = v8 && !d8;
    wire           hb_we1 = v8 && d8;
    reg  [AWX-1:0] ob_col;            // output layer: image column being read
    wire [HW-1:0]  hb_q0, hb_q1;
    bilstm_ram #(.WIDTH(HW), .DEPTH(MAXLEN))
        u_hfw (.clk(clk), .we(hb_we0), .waddr(nfw), .wdata(h_next0), .raddr(ob_col), .q(hb_q0));
    bilstm_ram #(.WIDTH(HW), .DEPTH(MAXLEN))
        u_hbw (.clk(clk), .we(hb_we1), .waddr(t_last - nbw), .wdata(h_next1), .raddr(ob_col),
               .q(hb_q1));

    // ------------------------------------------------------------------ output layer
    // issue (column c of FINN-L's Concatenator order, class, fold) one per cycle
    reg  [AWX-1:0] oc;                // Concatenator column
    reg  [CW-1:0]  ok;                // class
    reg  [FW-1:0]  of;                // fold
    wire           o_issue = (state == ST_OUT);
    wire [AWX-1:0] om = t_last - oc;  // hidden stream item: column step om>>1, direction om[0]
    wire [AWX-1:0] ocol = om[0] ? t_last - (om >> 1) : (om >> 1);
    wire [AWF-1:0] wfc_addr = ok * FF + of;
    wire [2*SIMD_FC*8-1:0] wfc_q;
    wire [15:0]            bfc_q;
    bilstm_rom #(.WIDTH(2*SIMD_FC*8), .DEPTH(CLASSES*FF), .FILE(WFC_FILE), .BLOCK(1))
        u_wfc (.clk(clk), .addr(wfc_addr), .q(wfc_q));
    bilstm_rom #(.WIDTH(16), .DEPTH(CLASSES), .FILE(BFC_FILE))
        u_bfc (.clk(clk), .addr(ok), .q(bfc_q));

    // o1: ROM and h words read (ob_col is set one cycle ahead of a column's first issue)
    reg           ov1, of1f, ol1;
    reg  [FW-1:0] of1;
    reg  [CW-1:0] ok1;
    reg           oc1last;
    // o2: products h*w to <16,8,RND_CONV,WRAP>, registered
    reg           ov2, of2f, ol2, oc2last;
    reg  [CW-1:0] ok2;
    reg  [15:0]   bfc2;
    wire [2*SIMD_FC*16-1:0] fq;
    reg  [2*SIMD_FC*16-1:0] fq2;
    generate
        for (gl = 0; gl < 2 * SIMD_FC; gl = gl + 1) begin : g_fc
            wire [HW-1:0] hsrc = (gl < SIMD_FC) ? hb_q0 : hb_q1;
            wire signed [ABITS-1:0] hv = hsrc[(of1*SIMD_FC + (gl % SIMD_FC))*ABITS +: ABITS];
            wire signed [ABITS+7:0] pr = hv * $signed(wfc_q[gl*8 +: 8]);
            bilstm_fx #(.IW(ABITS+8), .SH(FPF - 8), .MODE(1)) u_q (.a(pr), .q(fq[gl*16 +: 16]));
        end
    endgenerate
    // o3: per direction bias + sum (16-bit wrap) accumulated over the folds; at the last
    // fold the Concatenator sum of both directions is the class score
    reg  [15:0] part0, part1;
    reg  [15:0] s0, s1;
    integer li;
    always @* begin
        s0 = of2f ? {{7{bfc2[7]}}, bfc2[7:0], 1'b0} : part0;
        s1 = of2f ? {{7{bfc2[15]}}, bfc2[15:8], 1'b0} : part1;
        for (li = 0; li < SIMD_FC; li = li + 1) begin
            s0 = s0 + fq2[li*16 +: 16];
            s1 = s1 + fq2[(SIMD_FC + li)*16 +: 16];
        end
    end
    reg          ov3, oc3last;
    reg  [CW-1:0] ok3;
    reg  [15:0]  score3;
    assign sc_valid = ov3;
    assign sc_data  = score3;

    // MaxPerColumn (value from 0 each column, label kept) and FinalLabeling's first pass
    reg  signed [15:0] mx_val;
    reg  [CW-1:0]      mx_lab;
    reg  signed [AWX+1:0] pointer;
    reg  [AWX-1:0]     ocm;           // columns finished by MaxPerColumn
    wire signed [15:0] sc3s = score3;
    wire               upd = sc3s > mx_val;
    wire signed [15:0] col_val = upd ? sc3s : mx_val;
    wire [CW-1:0]      col_lab = upd ? ok3 : mx_lab;
    wire [AWX:0]       tlen = t_last + 1'b1;
    wire [AWX-1:0]     gpos = (tlen >> 1) + pointer;   // FinalLabeling: center + pointer
    reg  [15+CW:0]     gmem [0:MAXLEN-1];      // {value, label}
    // labeling pass
    reg  [AWX:0]   lt;
    reg  signed [15:0] pv;
    reg  [CW-1:0]  pl;
    reg            lv, llast;
    reg  [LW-1:0]  ldata;
    wire [15+CW:0] gq = gmem[lt[AWX-1:0]];
    wire signed [15:0] gv = gq[CW +: 16];
    wire [CW-1:0]  glb = gq[CW-1:0];
    wire           l_step = !lv || l_ready;
    assign l_valid = lv;
    assign l_data  = ldata;
    assign l_last  = llast;

    // ------------------------------------------------------------------ sequential logic
    integer      u;
    always @(posedge clk) begin
        // hidden-layer pipeline registers (no stalls inside the pipeline)
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
                nbw <= nbw + 1'b1;
            end else begin
                h_state0  <= h_next0;
                nfw <= nfw + 1'b1;
            end
        end

        // output-layer pipeline
        ov1 <= o_issue; of1 <= of; ok1 <= ok; of1f <= (of == 0); ol1 <= (of == FF - 1);
        oc1last <= (ok == CLASSES - 1) && (of == FF - 1);
        ov2 <= ov1; of2f <= of1f; ol2 <= ol1; ok2 <= ok1; oc2last <= oc1last; bfc2 <= bfc_q;
        fq2 <= fq;
        if (ov2) begin
            part0 <= s0;
            part1 <= s1;
        end
        ov3 <= ov2 && ol2; ok3 <= ok2; oc3last <= oc2last;
        if (ov2 && ol2) score3 <= s0 + s1;
        if (ov3) begin
            if (oc3last) begin
                gmem[gpos] <= {(col_lab == 0) ? 16'd0 : col_val, col_lab};
                mx_val  <= 16'sd0;
                mx_lab  <= col_lab;
                pointer <= ocm[0] ? -pointer : -(pointer + 1'b1);
                ocm     <= ocm + 1'b1;
            end else begin
                mx_val <= col_val;
                mx_lab <= col_lab;
            end
        end

        // issue control
        case (state)
            ST_LOAD: if (s_valid) begin
                if (s_last || wr_ptr == MAXLEN - 1) begin
                    t_last <= wr_ptr; wr_ptr <= 0; state <= ST_RUN;
                    step <= 0; dir <= 1'b0; grp <= 0; k <= 0;
                    h_state0 <= {HW{1'b0}}; h_state1 <= {HW{1'b0}};
                    wb_done <= 2'b11; nfw <= 0; nbw <= 0;
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
            ST_DRAIN: if (wb_done == 2'b11 && !out_valid) begin
                state <= ST_OUTW; oc <= 0; ok <= 0; of <= 0;
                mx_val <= 16'sd0; mx_lab <= 0; pointer <= 0; ocm <= 0;
            end
            ST_OUTW: begin            // ob_col of column oc is being set: read next cycle
                state <= ST_OUT;
            end
            ST_OUT: begin
                if (of != FF - 1) of <= of + 1'b1;
                else begin
                    of <= 0;
                    if (ok != CLASSES - 1) ok <= ok + 1'b1;
                    else begin
                        ok <= 0;
                        if (oc == t_last) state <= ST_LAB;
                        else begin
                            oc <= oc + 1'b1;
                            state <= ST_OUTW;
                        end
                    end
                end
            end
            ST_LAB: if (!ov1 && !ov2 && !ov3 && l_step) begin
                // FinalLabeling, second pass: one column per cycle
                if (lt == t_last + 1'b1) begin
                    lv <= 1'b1; ldata <= CLASSES; llast <= 1'b1; state <= ST_TERM;
                end else begin
                    lt <= lt + 1'b1;
                    if (gv > pv) begin
                        pv <= gv; pl <= glb; lv <= 1'b0;
                    end else if (pl != 0 && glb == 0) begin
                        lv <= 1'b1; ldata <= pl; llast <= 1'b0;
                        pv <= gv; pl <= glb;
                    end else begin
                        lv <= 1'b0;
                    end
                end
            end
            ST_TERM: if (l_ready) begin
                lv <= 1'b0; llast <= 1'b0; state <= ST_LOAD;
            end
            default: state <= ST_LOAD;
        endcase
        if (state == ST_OUTW) ob_col <= ocol;
        if (state != ST_LAB && state != ST_TERM) begin
            lt <= 0; pv <= 16'sd0; pl <= 0;
        end

        if (rst) begin
            state <= ST_LOAD; wr_ptr <= 0; t_last <= 0; step <= 0; dir <= 1'b0;
            grp <= 0; k <= 0; wb_done <= 2'b11; out_valid <= 1'b0; out_last <= 1'b0;
            v1 <= 1'b0; v2 <= 1'b0; v3 <= 1'b0; v4 <= 1'b0; v5 <= 1'b0; v6 <= 1'b0;
            v7 <= 1'b0; v8 <= 1'b0; v1b <= 1'b0;
            ov1 <= 1'b0; ov2 <= 1'b0; ov3 <= 1'b0; lv <= 1'b0; llast <= 1'b0;
        end
    end
endmodule

// A two's-complement product with SH more fraction bits than <16,8> to 16 bits:
// MODE 0 AP_RND_ZERO (nearest, ties toward zero), MODE 1 AP_RND_CONV (nearest, ties to
// even); SH <= 0
// scales up exactly. The value fits (products of <=1 magnitudes); WRAP to 16 bits.
module bilstm_fx #(
    parameter IW   = 8,
    parameter SH   = 0,
    parameter MODE = 0
) (
    input  [IW-1:0] a,
    output [15:0]   q
);
    localparam XW = (IW > 16 ? IW : 16) + 2;
    wire signed [XW-1:0] ax = $signed(a);
    generate
        if (SH <= 0) begin : g_up
            wire signed [XW-1:0] s = ax <<< (-SH);
            assign q = s[15:0];
        end else begin : g_down
            wire signed [XW-1:0] fl = ax >>> SH;           // floor
            wire [SH-1:0]        r  = a[SH-1:0];
            wire half = r[SH-1];
            wire rest = (SH > 1) ? (r[(SH > 1 ? SH-2 : 0):0] != 0) : 1'b0;
            wire up = (MODE == 0) ? half && (rest || a[IW-1])     // ties toward zero
                                  : half && (rest || fl[0]);      // ties to even
            wire signed [XW-1:0] s = fl + up;
            assign q = s[15:0];
        end
    endgenerate
endmodule

// FINN-L's activation-table index of a <16,8> value: sigmoid over [-5, 5] (25.5 entries
// per unit), tanh over [-3, 3] (42.5): 0 at or below the lower limit, 255 at or above the
// upper one, else floor((x - lower) * step) = ((x + L*256) * M) >> 9.
module bilstm_lut_index #(
    parameter TANH = 0
) (
    input  [15:0] x,
    output [7:0]  idx
);
    localparam integer LIM = TANH ? 768 : 1280;
    localparam integer MUL = TANH ? 85 : 51;
    wire signed [15:0] xs = x;
    wire [12:0] t = xs + LIM;                 // in (0, 2*LIM) when in range
    wire [19:0] p = t * MUL;
    assign idx = (xs <= -LIM) ? 8'd0 : (xs >= LIM) ? 8'd255 : p[16:9];
endmodule
