// Selected only with the icestorm tool flag: the bits XORed pairwise.
module tflow_mix (input wire [7:0] in, output wire [3:0] out);
    assign out = in[7:4] ^ in[3:0];
endmodule
