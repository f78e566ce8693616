// Checks the counter and the LEDs cycle by cycle against a model counter, for
// 2**(min(WIDTH,12)+1) cycles, then prints the result line that fpgaflow's sim stage reads.
`timescale 1ns/1ps
module blinky_tb;
    parameter integer WIDTH = 6;
    parameter integer LEDS = 4;
    localparam integer CHECKED = (WIDTH < 12) ? WIDTH : 12;
    reg clk = 1'b0, rst = 1'b1;
    wire [LEDS-1:0] led;
    integer cycle, mismatches, vectors;
    reg [WIDTH-1:0] model;

    blinky #(.WIDTH(WIDTH), .LEDS(LEDS)) dut (.clk(clk), .rst(rst), .led(led));

    always #5 clk = ~clk;

    initial begin
        mismatches = 0; vectors = 0; model = 0;
        @(posedge clk); #1 rst = 1'b0;
        for (cycle = 0; cycle < (2 << CHECKED); cycle = cycle + 1) begin
            @(posedge clk); #1;
            model = model + 1'b1;
            vectors = vectors + 1;
            if (dut.count !== model || led !== model[WIDTH-1 -: LEDS]) mismatches = mismatches + 1;
        end
        $display("FPGAFLOW_SIM vectors=%0d mismatches=%0d cycles_per_item=1", vectors, mismatches);
        $finish;
    end
endmodule
