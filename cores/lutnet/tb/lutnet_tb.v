// Testbench for the generated LUTNet layer (lutnet_k<K>) and the XNOR baseline (xnor_layer):
// drives in.txt (one vector per cycle), checks both against exp_lutnet_k<K>.txt and exp_xnor.txt
// (from `python -m fpgaflow.models.lutnet vectors .`) and prints exactly one line
//   FPGAFLOW_SIM vectors=<N> mismatches=<M> cycles_per_item=<C>
// (N counts vectors, M mismatching output bits of both layers).
`timescale 1ns / 1ps
module lutnet_tb;
    parameter K = 4;
    parameter N_IN = 64;
    parameter N_OUT = 16;

    reg clk = 1'b0;
    always #5 clk = ~clk;

    reg  [N_IN-1:0]  in_data;
    reg              in_valid;
    wire [N_OUT-1:0] y_lut, y_xnor;
    wire             v_lut, v_xnor;

    lutnet_top #(.K(K), .VARIANT(0)) dut_lut (
        .clk(clk), .in_data(in_data), .in_valid(in_valid), .out_data(y_lut), .out_valid(v_lut));
    lutnet_top #(.K(K), .VARIANT(1)) dut_xnor (
        .clk(clk), .in_data(in_data), .in_valid(in_valid), .out_data(y_xnor), .out_valid(v_xnor));

    integer fin, fl, fx, nvec, rc, sent, got, mismatches, cycle, t_first, t_last, o;
    reg [N_IN-1:0]  next_in;
    reg [N_OUT-1:0] e_lut, e_xnor;

    initial begin
        fin = $fopen("in.txt", "r");
        fl = $fopen($sformatf("exp_lutnet_k%0d.txt", K), "r");
        fx = $fopen("exp_xnor.txt", "r");
        if (fin == 0 || fl == 0 || fx == 0) begin
            $display("FPGAFLOW_SIM vectors=0 mismatches=1 cycles_per_item=0");
            $display("error: in.txt / exp_lutnet_k%0d.txt / exp_xnor.txt not found", K);
            $finish;
        end
        rc = $fscanf(fin, "%d\n", nvec);
        in_valid = 1'b0;
        in_data = 0;
        sent = 0; got = 0; mismatches = 0; cycle = 0; t_first = 0; t_last = 0;
    end

    always @(posedge clk) begin
        cycle <= cycle + 1;
        if (cycle >= 2 && sent < nvec) begin
            rc = $fscanf(fin, "%h\n", next_in);
            in_data <= next_in;
            in_valid <= 1'b1;
            sent = sent + 1;
        end else begin
            in_valid <= 1'b0;
        end
        if (v_lut || v_xnor) begin
            rc = $fscanf(fl, "%h\n", e_lut);
            rc = $fscanf(fx, "%h\n", e_xnor);
            if (!(v_lut && v_xnor)) mismatches = mismatches + 1;
            for (o = 0; o < N_OUT; o = o + 1) begin
                if (y_lut[o] !== e_lut[o]) mismatches = mismatches + 1;
                if (y_xnor[o] !== e_xnor[o]) mismatches = mismatches + 1;
            end
            if (mismatches > 0 && mismatches < 5)
                $display("vector %0d: lutnet %h (expected %h), xnor %h (expected %h)", got, y_lut, e_lut, y_xnor, e_xnor);
            got = got + 1;
            if (got == 1) t_first = cycle;
            t_last = cycle;
            if (got == nvec) begin
                $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=%0d", got, mismatches,
                         (nvec > 1) ? (t_last - t_first + (nvec - 1) / 2) / (nvec - 1) : 1);
                $finish;
            end
        end
    end

    initial begin
        #100000000;
        $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=0", got, mismatches + 1);
        $display("error: timeout");
        $finish;
    end
endmodule
