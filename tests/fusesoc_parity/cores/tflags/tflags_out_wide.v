// With the flag: each bit through the dependency's registered inverter.
module tflags_out (input wire clk, input wire [2:0] in, output wire [2:0] out);
    tnovendor inv[2:0] (.clk(clk), .a(in), .y(out));
endmodule
