// N registered AW x BW products of a 64-bit LFSR (Yosys infers the family's multipliers),
// XOR-reduced onto led[3]; the six pins every board of the newer families places.
module products #(parameter AW = 8, parameter BW = 8, parameter N = 1)
    (input clk, input rst, output [3:0] led);
  reg [63:0] lfsr = 64'h1;
  always @(posedge clk)
    lfsr <= rst ? 64'h1 : {lfsr[62:0], lfsr[63] ^ lfsr[62] ^ lfsr[60] ^ lfsr[59]};
  wire [N-1:0] x;
  genvar i;
  generate for (i = 0; i < N; i = i + 1) begin : g
    reg [AW+BW-1:0] p = 0;
    always @(posedge clk) p <= lfsr[AW-1+i:i] * lfsr[63-i:64-BW-i];
    assign x[i] = ^p;
  end endgenerate
  assign led = {^x, lfsr[2:0]};
endmodule
