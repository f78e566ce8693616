// Selected when the tool flag is not icestorm: the top four bits.
module tflow_mix (input wire [7:0] in, output wire [3:0] out);
    assign out = in[7:4];
endmodule
