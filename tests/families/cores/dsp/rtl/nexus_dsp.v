// N instances of one Lattice Nexus DSP primitive (KIND: 0 MULT9X9, 1 MULTPREADD9X9,
// 2 MULTADDSUB18X18) fed by a 64-bit LFSR, XOR-reduced onto led[3].
module nexus_dsp #(parameter KIND = 0, parameter N = 1) (input clk, input rst, output [3:0] led);
  reg [63:0] lfsr = 64'h1;
  always @(posedge clk)
    lfsr <= rst ? 64'h1 : {lfsr[62:0], lfsr[63] ^ lfsr[62] ^ lfsr[60] ^ lfsr[59]};
  wire [N-1:0] x;
  genvar i;
  generate for (i = 0; i < N; i = i + 1) begin : g
    wire [53:0] z;
    if (KIND == 0) begin : k
      wire [17:0] p;
      MULT9X9 u (.A(lfsr[8+i:i]), .B(lfsr[40+i:32+i]), .CLK(clk), .CEA(1'b1), .RSTA(rst),
        .CEB(1'b1), .RSTB(rst), .SIGNEDA(1'b0), .SIGNEDB(1'b0), .RSTOUT(rst), .CEOUT(1'b1),
        .Z(p));
      assign z = {36'b0, p};
    end else if (KIND == 1) begin : k
      wire [17:0] p;
      MULTPREADD9X9 u (.A(lfsr[8+i:i]), .B(lfsr[40+i:32+i]), .C(lfsr[50+i:42+i]), .CLK(clk),
        .CEA(1'b1), .RSTA(rst), .CEB(1'b1), .RSTB(rst), .CEC(1'b1), .RSTC(rst),
        .SIGNEDA(1'b0), .SIGNEDB(1'b0), .SIGNEDC(1'b0), .RSTOUT(rst), .CEOUT(1'b1), .Z(p));
      assign z = {36'b0, p};
    end else begin : k
      MULTADDSUB18X18 u (.A(lfsr[17+i:i]), .B(lfsr[45+i:28+i]), .C(lfsr[53:0]), .CLK(clk),
        .CEA(1'b1), .RSTA(rst), .CEB(1'b1), .RSTB(rst), .CEC(1'b1), .RSTC(rst), .SIGNED(1'b0),
        .RSTPIPE(rst), .CEPIPE(1'b1), .RSTCTRL(rst), .CECTRL(1'b1), .RSTCIN(rst),
        .CECIN(1'b1), .LOADC(lfsr[60]), .ADDSUB(lfsr[61]), .Z(z), .RSTOUT(rst), .CEOUT(1'b1),
        .CIN(1'b0));
    end
    assign x[i] = ^z;
  end endgenerate
  assign led = {^x, lfsr[2:0]};
endmodule
