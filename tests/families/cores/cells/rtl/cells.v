// One of each cell class a family maps (tests/families/test_family_cells.py), on the six
// pins every board of the newer families places (clk, rst, led[3:0]): a 32-bit LFSR feeds
// a counter with enable (a carry chain, flip-flops with reset and enable), a registered
// 16x16 multiply (DSP), a 512x16 synchronous-read RAM (block RAM) and a 16x4
// asynchronous-read RAM (LUT RAM); each drives one LED through an XOR reduction.
module cells (input clk, input rst, output [3:0] led);
  reg [31:0] lfsr = 32'h1;
  always @(posedge clk)
    lfsr <= rst ? 32'h1 : {lfsr[30:0], lfsr[31] ^ lfsr[21] ^ lfsr[1] ^ lfsr[0]};

  reg [23:0] count = 0;
  always @(posedge clk)
    if (rst) count <= 0;
    else if (lfsr[3]) count <= count + 24'd1;

  reg [31:0] prod = 0;
  always @(posedge clk) prod <= lfsr[15:0] * lfsr[31:16];

  reg [15:0] mem [0:511];
  reg [15:0] rdata = 0;
  always @(posedge clk) begin
    if (lfsr[5]) mem[lfsr[14:6]] <= lfsr[31:16];
    rdata <= mem[lfsr[24:16]];
  end

  reg [3:0] lmem [0:15];
  always @(posedge clk) if (lfsr[7]) lmem[lfsr[11:8]] <= lfsr[15:12];
  wire [3:0] lq = lmem[lfsr[19:16]];

  assign led = {^count, ^prod, ^rdata, ^lq};
endmodule
