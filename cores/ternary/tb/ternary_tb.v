// Testbench for ternary_layer: streams in.txt through the DUT, compares every output beat with exp.txt
// (both written by `python -m fpgaflow.models.ternary vectors .`) and prints exactly one line
//   FPGAFLOW_SIM vectors=<N> mismatches=<M> cycles_per_item=<C>
// cycles_per_item is measured in steady state between the last output beats of consecutive
// vectors.  STALL=1 adds random input gaps and output back-pressure (cycles then not meaningful).
`timescale 1ns / 1ps
module ternary_tb;
    parameter MW = 32;
    parameter MH = 16;
    parameter PE = 4;
    parameter SIMD = 8;
    parameter ABITS = 2;
    parameter OBITS = 2;
    parameter THRESH = 1;
    parameter STALL = 0;
    parameter WEIGHT_FILE = "weights.hex";
    parameter THRESH_FILE = "thresh.hex";

    localparam ACCW = $clog2(MW * ((1 << ABITS) - 1) + 1) + 1;
    localparam OW = (THRESH == 0) ? ACCW : OBITS;
    localparam SF = MW / SIMD;
    localparam NF = MH / PE;
    localparam IW = SIMD * ABITS;

    reg clk = 1'b0;
    reg rst = 1'b1;
    always #5 clk = ~clk;

    reg  [IW-1:0]    in_data;
    reg              in_valid;
    wire             in_ready;
    wire [PE*OW-1:0] out_data;
    wire             out_valid;
    reg              out_ready;

    ternary_layer #(.MW(MW), .MH(MH), .PE(PE), .SIMD(SIMD), .ABITS(ABITS), .OBITS(OBITS), .THRESH(THRESH),
           .WEIGHT_FILE(WEIGHT_FILE), .THRESH_FILE(THRESH_FILE)) dut (
        .clk(clk), .rst(rst),
        .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));

    integer fin, fexp, nvec, rc;
    integer beats_in, beats_out, mismatches, items, cycle, t_first, t_last, p, seed;
    reg [IW-1:0]    next_in;
    reg [PE*OW-1:0] expv;

    initial begin
        fin = $fopen("in.txt", "r");
        fexp = $fopen("exp.txt", "r");
        if (fin == 0 || fexp == 0) begin
            $display("FPGAFLOW_SIM vectors=0 mismatches=1 cycles_per_item=0");
            $display("error: in.txt/exp.txt not found in the working directory");
            $finish;
        end
        rc = $fscanf(fin, "%d\n", nvec);
        in_valid = 1'b0;
        in_data = {IW{1'b0}};
        out_ready = 1'b0;
        beats_in = 0; beats_out = 0; mismatches = 0; items = 0; cycle = 0;
        t_first = 0; t_last = 0; seed = 7;
        repeat (3) @(posedge clk);
        rst <= 1'b0;
    end

    always @(posedge clk) cycle <= cycle + 1;

    // driver
    always @(posedge clk) begin
        if (!rst) begin
            if (!in_valid || in_ready) begin
                if (beats_in < nvec * SF && (STALL == 0 || ($random(seed) & 3) != 0)) begin
                    rc = $fscanf(fin, "%h\n", next_in);
                    in_data <= next_in;
                    in_valid <= 1'b1;
                    beats_in = beats_in + 1;
                end else begin
                    in_valid <= 1'b0;
                end
            end
            out_ready <= (STALL == 0) ? 1'b1 : (($random(seed) & 3) != 0);
        end
    end

    // monitor
    always @(posedge clk) begin
        if (!rst && out_valid && out_ready) begin
            rc = $fscanf(fexp, "%h\n", expv);
            for (p = 0; p < PE; p = p + 1)
                if (out_data[p*OW +: OW] !== expv[p*OW +: OW]) begin
                    mismatches = mismatches + 1;
                    if (mismatches <= 10)
                        $display("mismatch item %0d beat %0d pe %0d: got %h expected %h",
                                 items, beats_out % NF, p, out_data[p*OW +: OW], expv[p*OW +: OW]);
                end
            beats_out = beats_out + 1;
            if (beats_out % NF == 0) begin
                items = items + 1;
                if (items == 1) t_first = cycle;
                t_last = cycle;
                if (items == nvec) begin
                    $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=%0d", items,
                             mismatches, (nvec > 1) ? (t_last - t_first + (nvec - 1) / 2) / (nvec - 1) : t_last);
                    $finish;
                end
            end
        end
    end

    initial begin
        #(10 * (200 + 8 * 1000 * SF * NF));
        $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=0", items, mismatches + 1);
        $display("error: timeout");
        $finish;
    end
endmodule
