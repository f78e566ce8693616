// Testbench for the CNV's own stream parts alone, through the shared driver/checker
// (fpgaflow:nn:stream_tb): PART = 0 the sliding-window unit (swu.v), PART = 1 the 2x2 max-pool
// (maxpool.v).  in.txt / exp.txt come from the model (tests/cores/test_cnv.py writes them).
`timescale 1ns / 1ps
module cnv_parts_tb;
    parameter PART = 0, K = 3, CH = 4, DIM = 6, SIMD = 2, ABITS = 2, SIGNED = 1, INIT = -1;
    parameter STALL = 0;
    localparam OFM = DIM - K + 1, CG = CH / SIMD;
    localparam W = (PART == 0) ? SIMD * ABITS : CH * ABITS;
    wire clk, rst, iv, ir, ov, ordy;
    wire [W-1:0] id, od;
    generate
        if (PART == 0) begin : g_swu
            swu #(.K(K), .IFM_CH(CH), .IFM_DIM(DIM), .SIMD(SIMD), .ABITS(ABITS))
                dut (clk, rst, id, iv, ir, od, ov, ordy);
        end else begin : g_pool
            maxpool #(.IFM_DIM(DIM), .CH(CH), .ABITS(ABITS), .SIGNED(SIGNED), .INIT(INIT))
                dut (clk, rst, id, iv, ir, od, ov, ordy);
        end
    endgenerate
    stream_tb #(.IN_W(W), .LANES(W / ABITS), .LANE_W(ABITS),
                .IN_BEATS((PART == 0) ? DIM * DIM * CG : DIM * DIM),
                .OUT_BEATS((PART == 0) ? OFM * OFM * K * K * CG : DIM * DIM / 4), .STALL(STALL))
        tb (clk, rst, id, iv, ir, od, ov, ordy);
endmodule
