// Matrix-vector-activation unit (FINN MVAU, finn-hlslib Matrix_Vector_Activate_Batch as BNN-PYNQ
// builds it), Verilog-2005.  One core for every weight/activation type; the contract is
// fpgaflow/models/mvau.py:
//   WBITS == 1 : weight bit 1 = +1, 0 = -1;  WBITS > 1 : two's complement (2 = ternary -1/0/+1)
//   ATYPE      : activations 0 unsigned, 1 signed, 2 bipolar (ABITS = 1, bit 1 = +1)
//   XNOR == 1  : product = (w == a), the accumulator is the XNOR popcount
//   ACCW       : accumulator bits (wraps like ap_int<ACCW>); 0 = derived, cannot overflow
//   ACT == 0   : OBIAS + number of the row's NTHR thresholds t with t < acc (OBITS bits)
//   ACT == 1   : the accumulator (ACCW bits)
//   ACT == 2   : clip((acc * scale + 2**(SHIFT-1)) >>> SHIFT, 0, 2**OBITS-1), SCALEW-bit scale/row
// Folding: SIMD lanes x PE rows per cycle, SF = MW/SIMD input beats and NF = MH/PE output beats
// per vector, SF*NF cycles per vector at full throughput.  Row r is PE r%PE in fold r/PE.
// Streams are valid/ready; input lane s at [s*ABITS +: ABITS], output PE p at [p*OW +: OW].
// Weights (NF*SF words of PE*SIMD*WBITS bits) and thresholds or scales (NF words) live in ROMs
// initialised from hex files.
module mvau #(
    parameter MW = 32,
    parameter MH = 16,
    parameter PE = 4,
    parameter SIMD = 8,
    parameter WBITS = 1,
    parameter ABITS = 1,
    parameter ATYPE = 2,
    parameter XNOR = 1,
    parameter ACCW = 0,
    parameter ACT = 0,
    parameter NTHR = 1,
    parameter integer OBIAS = 0,
    parameter OBITS = 1,
    parameter SCALEW = 8,
    parameter SHIFT = 8,
    parameter WEIGHT_FILE = "weights.hex",
    parameter THRESH_FILE = "thresh.hex",
    // derived; do not override
    parameter WMAX = (WBITS == 1) ? 1 : (1 << (WBITS - 1)),
    parameter AMAX = (ATYPE == 0) ? ((1 << ABITS) - 1) : (ATYPE == 1) ? (1 << (ABITS - 1)) : 1,
    parameter AW_ = (ACCW != 0) ? ACCW : $clog2(MW * WMAX * AMAX + 1) + 1,
    parameter OW = (ACT == 1) ? AW_ : OBITS
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
    localparam DEPTH = SF * NF;
    localparam SFW = (SF > 1) ? $clog2(SF) : 1;
    localparam NFW = (NF > 1) ? $clog2(NF) : 1;
    localparam AW = (DEPTH > 1) ? $clog2(DEPTH) : 1;
    localparam PW = $clog2(SIMD * WMAX * AMAX + 1) + 1;   // signed partial sum of one beat
    localparam TW = (ACT == 0) ? PE * NTHR * AW_ : (ACT == 2) ? PE * SCALEW : 1;
    localparam WW = PE * SIMD * WBITS;

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

    // weight and threshold/scale ROMs (synchronous read -> block RAM)
    reg [WW-1:0] wrom [0:DEPTH-1];
    initial $readmemh(WEIGHT_FILE, wrom);
    reg [WW-1:0] w_b;
    always @(posedge clk) begin
        if (en)
            w_b <= wrom[waddr];
    end

    reg [TW-1:0] t_b;
    generate
        if (ACT != 1) begin : g_trom
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
            reg signed [PW-1:0]      part;
            reg signed [PW-1:0]      prod;  // one lane's product
            reg signed [ABITS+1:0]   a;     // activation value
            reg [WBITS-1:0]          wc;    // weight code
            integer s;
            // each lane's product first, then one sum of them: Yosys (alumacc) makes a sum of
            // plain additions one adder tree, where add-or-subtract per lane was a chain
            always @* begin
                part = {PW{1'b0}};
                for (s = 0; s < SIMD; s = s + 1) begin
                    wc = w_b[(p*SIMD+s)*WBITS +: WBITS];
                    if (ATYPE == 2)
                        a = act_b[s*ABITS] ? 1 : -1;
                    else if (ATYPE == 1)
                        a = $signed(act_b[s*ABITS +: ABITS]);
                    else
                        a = $signed({1'b0, act_b[s*ABITS +: ABITS]});
                    if (XNOR != 0)
                        prod = {{(PW-1){1'b0}}, ~(wc[0] ^ act_b[s*ABITS])};
                    else if (WBITS == 1)                       // +-a: no multiplier
                        prod = wc[0] ? a : -a;
                    else if (WBITS == 2)                       // -2a, -a, 0, +a
                        prod = (wc == 2'b01) ? a : (wc == 2'b11) ? -a
                             : (wc == 2'b10) ? -(a <<< 1) : 0;
                    else
                        prod = $signed(wc) * a;
                    part = part + prod;
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
    localparam QW = AW_ + SCALEW + 1;
    reg [PE*OW-1:0] out_r;
    generate
        for (p = 0; p < PE; p = p + 1) begin : g_acc
            reg  signed [AW_-1:0] acc;
            wire signed [AW_-1:0] part_x = part_c[p];   // sign extension (or wrap)
            wire signed [AW_-1:0] acc_next = first_c ? part_x : acc + part_x;
            reg [OW-1:0] act;
            reg signed [QW-1:0] q;
            integer t;
            always @* begin
                q = 0;
                if (ACT == 1) begin
                    act = acc_next;
                end else if (ACT == 2) begin
                    q = (acc_next * $signed({1'b0, t_c[p*SCALEW +: SCALEW]}) + (1 <<< (SHIFT - 1))) >>> SHIFT;
                    if (q < 0)
                        act = {OW{1'b0}};
                    else if (q > (1 << OBITS) - 1)
                        act = {OW{1'b1}};
                    else
                        act = q[OW-1:0];
                end else begin
                    act = OBIAS;
                    for (t = 0; t < NTHR; t = t + 1)
                        if ($signed(t_c[(p*NTHR+t)*AW_ +: AW_]) < acc_next)
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
