// Ternary-weight / low-precision-activation layer (Colangelo et al., FCCM 2018), Verilog-2005.
//
// MH x MW matrix of ternary weights, 2 bits each: 2'b01 = +1, 2'b11 = -1, 2'b00 (and 2'b10) = 0,
// times a vector of MW unsigned ABITS-bit activations.  Each lane adds, subtracts or skips its
// activation (no multipliers, so nothing maps to DSP blocks); the lanes of a PE are summed and
// accumulated over the SF = MW/SIMD folds into an ACCW-bit signed accumulator.
// THRESH == 1 : output = number of the row's 2**OBITS-1 thresholds t with acc >= t (OBITS bits)
// THRESH == 0 : output = accumulator (ACCW bits, two's complement)
// Folding, streams, ROM layout and handshakes are those of cores/mvau (row r = PE r%PE, fold r/PE;
// SF*NF cycles per vector); weight word nf*SF+sf holds PE*SIMD 2-bit weights, lane (pe, s) at
// bits [(pe*SIMD+s)*2 +: 2].  See fpgaflow/models/ternary.py.
module ternary_layer #(
    parameter MW = 32,
    parameter MH = 16,
    parameter PE = 4,
    parameter SIMD = 8,
    parameter ABITS = 2,
    parameter OBITS = 2,
    parameter THRESH = 1,
    parameter WEIGHT_FILE = "weights.hex",
    parameter THRESH_FILE = "thresh.hex",
    // derived; do not override
    parameter ACCW = $clog2(MW * ((1 << ABITS) - 1) + 1) + 1,
    parameter OW = (THRESH == 0) ? ACCW : OBITS
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire [SIMD*ABITS-1:0] in_data,
    input  wire                  in_valid,
    output wire                  in_ready,
    output wire [PE*OW-1:0]      out_data,
    output wire                  out_valid,
    input  wire                  out_ready
);
    localparam SF = MW / SIMD;
    localparam NF = MH / PE;
    localparam NTHR = (1 << OBITS) - 1;
    localparam DEPTH = SF * NF;
    localparam SFW = (SF > 1) ? $clog2(SF) : 1;
    localparam NFW = (NF > 1) ? $clog2(NF) : 1;
    localparam AW = (DEPTH > 1) ? $clog2(DEPTH) : 1;
    localparam PW = $clog2(SIMD * ((1 << ABITS) - 1) + 1) + 1;   // signed partial sum width
    localparam TW = PE * NTHR * ACCW;

    // ------------------------------------------------------------------ stage A: issue
    reg [SFW-1:0] sf;
    reg [NFW-1:0] nf;
    reg [AW-1:0]  waddr;
    reg           out_valid_r;
    wire en      = !out_valid_r || out_ready;       // whole pipeline advances together
    wire need_in = (nf == 0);
    wire fire    = en && !rst && (!need_in || in_valid);
    assign in_ready = en && !rst && need_in;

    reg [SIMD*ABITS-1:0] ibuf [0:SF-1];              // input vector, reused for folds nf > 0
    wire [SIMD*ABITS-1:0] act_a = need_in ? in_data : ibuf[sf];

    always @(posedge clk) begin
        if (fire && need_in)
            ibuf[sf] <= in_data;
    end

    always @(posedge clk) begin
        if (rst) begin
            sf <= 0;
            nf <= 0;
            waddr <= 0;
        end else if (fire) begin
            waddr <= (waddr == DEPTH - 1) ? {AW{1'b0}} : waddr + 1'b1;
            if (sf == SF - 1) begin
                sf <= 0;
                nf <= (nf == NF - 1) ? {NFW{1'b0}} : nf + 1'b1;
            end else begin
                sf <= sf + 1'b1;
            end
        end
    end

    // weight and threshold ROMs (synchronous read -> block RAM)
    reg [2*PE*SIMD-1:0] wrom [0:DEPTH-1];
    initial $readmemh(WEIGHT_FILE, wrom);
    reg [2*PE*SIMD-1:0] w_b;
    always @(posedge clk) begin
        if (en)
            w_b <= wrom[waddr];
    end

    reg [TW-1:0] t_b;
    generate
        if (THRESH != 0) begin : g_trom
            reg [TW-1:0] trom [0:NF-1];
            initial $readmemh(THRESH_FILE, trom);
            always @(posedge clk) begin
                if (en)
                    t_b <= trom[nf];
            end
        end else begin : g_notrom
            always @(posedge clk) t_b <= {TW{1'b0}};
        end
    endgenerate

    reg                  v_b, first_b, last_b;
    reg [SIMD*ABITS-1:0] act_b;
    always @(posedge clk) begin
        if (rst) begin
            v_b <= 1'b0;
        end else if (en) begin
            v_b     <= fire;
            first_b <= (sf == 0);
            last_b  <= (sf == SF - 1);
            act_b   <= act_a;
        end
    end

    // ------------------------------------------------------------------ stage B: lanes
    reg                  v_c, first_c, last_c;
    reg [TW-1:0]         t_c;
    reg signed [PW-1:0]  part_c [0:PE-1];
    genvar p;
    generate
        for (p = 0; p < PE; p = p + 1) begin : g_pe
            reg signed [PW-1:0] part;
            integer s;
            always @* begin
                part = {PW{1'b0}};
                for (s = 0; s < SIMD; s = s + 1) begin
                    // add / subtract / skip: 2'b01 = +1, 2'b11 = -1, otherwise 0
                    if (w_b[(p*SIMD+s)*2] && !w_b[(p*SIMD+s)*2+1])
                        part = part + $signed({1'b0, act_b[s*ABITS +: ABITS]});
                    else if (w_b[(p*SIMD+s)*2] && w_b[(p*SIMD+s)*2+1])
                        part = part - $signed({1'b0, act_b[s*ABITS +: ABITS]});
                end
            end
            always @(posedge clk) begin
                if (en)
                    part_c[p] <= part;
            end
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) begin
            v_c <= 1'b0;
        end else if (en) begin
            v_c     <= v_b;
            first_c <= first_b;
            last_c  <= last_b;
            t_c     <= t_b;
        end
    end

    // ------------------------------------------------------------------ stage C: accumulate, activate
    reg [PE*OW-1:0] out_r;
    generate
        for (p = 0; p < PE; p = p + 1) begin : g_acc
            reg  signed [ACCW-1:0] acc;
            wire signed [ACCW-1:0] part_x = part_c[p];   // sign extension
            wire signed [ACCW-1:0] acc_next = first_c ? part_x : acc + part_x;
            reg [OW-1:0] act;
            integer t;
            always @* begin
                if (THRESH == 0) begin
                    act = acc_next;
                end else begin
                    act = {OW{1'b0}};
                    for (t = 0; t < NTHR; t = t + 1)
                        if (acc_next >= $signed(t_c[(p*NTHR+t)*ACCW +: ACCW]))
                            act = act + 1'b1;
                end
            end
            always @(posedge clk) begin
                if (en && v_c) begin
                    acc <= acc_next;
                    if (last_c)
                        out_r[p*OW +: OW] <= act;
                end
            end
        end
    endgenerate

    always @(posedge clk) begin
        if (rst)
            out_valid_r <= 1'b0;
        else if (en)
            out_valid_r <= v_c && last_c;
    end

    assign out_valid = out_valid_r;
    assign out_data  = out_r;
endmodule
