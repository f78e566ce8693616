// Shared stream driver and checker for the NN core testbenches (mvau, ternary, lfc).  It makes
// the clock and reset, streams in.txt into the DUT, compares every output beat with exp.txt
// (both written by `python -m fpgaflow.models.<core> vectors .`) and prints exactly one line
//   FPGAFLOW_SIM vectors=<N> mismatches=<M> cycles_per_item=<C>
// in.txt: the vector count N, then N * IN_BEATS hex input beats.  exp.txt: N * OUT_BEATS hex
// output beats of LANES lanes of LANE_W bits, lane 0 in the low bits (compared lane by lane).
// cycles_per_item is measured in steady state between the last output beats of consecutive
// vectors.  STALL=1 adds random input gaps and output back-pressure (cycles then not meaningful).
// TIMEOUT is in clock cycles.
`timescale 1ns / 1ps
module stream_tb #(
    parameter IN_W = 8,        // input beat width
    parameter LANES = 1,       // output lanes per beat (PE)
    parameter LANE_W = 1,      // bits per output lane
    parameter IN_BEATS = 1,    // input beats per item (SF)
    parameter OUT_BEATS = 1,   // output beats per item (NF)
    parameter STALL = 0,
    parameter TIMEOUT = 200 + 8 * 1000 * IN_BEATS * OUT_BEATS
) (
    output reg                      clk = 1'b0,
    output reg                      rst = 1'b1,
    output reg  [IN_W-1:0]          in_data,
    output reg                      in_valid,
    input                           in_ready,
    input       [LANES*LANE_W-1:0]  out_data,
    input                           out_valid,
    output reg                      out_ready
);
    always #5 clk = ~clk;

    integer fin, fexp, nvec, rc;
    integer beats_in, beats_out, mismatches, items, cycle, t_first, t_last, p, seed;
    reg [IN_W-1:0]         next_in;
    reg [LANES*LANE_W-1:0] expv;

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
        in_data = {IN_W{1'b0}};
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
                if (beats_in < nvec * IN_BEATS && (STALL == 0 || ($random(seed) & 3) != 0)) begin
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
            for (p = 0; p < LANES; p = p + 1)
                if (out_data[p*LANE_W +: LANE_W] !== expv[p*LANE_W +: LANE_W]) begin
                    mismatches = mismatches + 1;
                    if (mismatches <= 10)
                        $display("mismatch item %0d beat %0d pe %0d: got %h expected %h",
                                 items, beats_out % OUT_BEATS, p, out_data[p*LANE_W +: LANE_W], expv[p*LANE_W +: LANE_W]);
                end
            beats_out = beats_out + 1;
            if (beats_out % OUT_BEATS == 0) begin
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

    // counted in clock cycles: a delay of 10 * TIMEOUT ns is TIMEOUT * 10,000 ps, which overflows
    // 32 bits in Verilator for the large networks (they "timed out" at once)
    always @(posedge clk) begin
        if (cycle >= TIMEOUT) begin
            $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=0", items, mismatches + 1);
            $display("error: timeout");
            $finish;
        end
    end
endmodule
