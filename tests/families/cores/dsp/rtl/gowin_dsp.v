// N instances of one Gowin DSP primitive (KIND: 0 MULTALU18X18, 1 MULTALU36X18,
// 2 MULTADDALU18X18, 3 ALU54D, 4 PADD9, 5 MULT36X36, 6 MULT9X9) and M MULT18X18, fed by a
// 64-bit LFSR and XOR-reduced onto led[3]: how many of each fill the device.
module gowin_dsp #(parameter KIND = 0, parameter N = 1, parameter M = 0)
    (input clk, input rst, output [3:0] led);
  reg [63:0] lfsr = 64'h1;
  always @(posedge clk)
    lfsr <= rst ? 64'h1 : {lfsr[62:0], lfsr[63] ^ lfsr[62] ^ lfsr[60] ^ lfsr[59]};
  wire [N-1:0] x;
  wire [M:0] y;
  assign y[M] = 1'b0;
  genvar i;
  generate for (i = 0; i < N; i = i + 1) begin : g
    wire [53:0] a = lfsr[53+(i%10):(i%10)];
    wire [53:0] b = lfsr[63:10] ^ {54{lfsr[i%60]}};
    wire [53:0] dout;
    if (KIND == 0) begin : k
      MULTALU18X18 u (.A(a[17:0]), .B(b[17:0]), .CLK(clk), .CE(1'b1), .RESET(rst), .ASIGN(1'b0),
        .BSIGN(1'b0), .ACCLOAD(1'b0), .DSIGN(1'b0), .C(b), .D(a), .CASI(55'b0), .DOUT(dout),
        .CASO());
    end else if (KIND == 1) begin : k
      // nextpnr 0.11 reads MULTALU36X18_MODE without a default: it must be set
      MULTALU36X18 #(.MULTALU36X18_MODE(0)) u (.A(a[17:0]), .B(b[35:0]), .C(a), .ASIGN(1'b0),
        .BSIGN(1'b0), .ACCLOAD(1'b0), .CE(1'b1), .CLK(clk), .RESET(rst), .CASI(55'b0),
        .DOUT(dout), .CASO());
    end else if (KIND == 2) begin : k
      MULTADDALU18X18 u (.A0(a[17:0]), .B0(b[17:0]), .A1(a[35:18]), .B1(b[35:18]), .C(a),
        .SIA(18'b0), .SIB(18'b0), .ASIGN(2'b0), .BSIGN(2'b0), .ASEL(2'b0), .BSEL(2'b0),
        .CASI(55'b0), .CE(1'b1), .CLK(clk), .RESET(rst), .ACCLOAD(1'b0), .DOUT(dout), .CASO(),
        .SOA(), .SOB());
    end else if (KIND == 3) begin : k
      ALU54D u (.A(a), .B(b), .ASIGN(1'b0), .BSIGN(1'b0), .ACCLOAD(1'b0), .CASI(55'b0),
        .CLK(clk), .CE(1'b1), .RESET(rst), .DOUT(dout), .CASO());
    end else if (KIND == 4) begin : k
      wire [8:0] p;
      PADD9 u (.A(a[8:0]), .B(b[8:0]), .ASEL(1'b0), .CE(1'b1), .CLK(clk), .RESET(rst),
        .SI(9'b0), .SBI(9'b0), .SO(), .SBO(), .DOUT(p));
      assign dout = {45'b0, p};
    end else if (KIND == 5) begin : k
      wire [71:0] p;
      MULT36X36 u (.A(a[35:0]), .B(b[35:0]), .ASIGN(1'b0), .BSIGN(1'b0), .CE(1'b1),
        .CLK(clk), .RESET(rst), .DOUT(p));
      assign dout = p[53:0] ^ {36'b0, p[71:54]};
    end else begin : k
      wire [17:0] p;
      MULT9X9 u (.A(a[8:0]), .SIA(9'b0), .B(b[8:0]), .SIB(9'b0), .ASIGN(1'b0), .BSIGN(1'b0),
        .ASEL(1'b0), .BSEL(1'b0), .CE(1'b1), .CLK(clk), .RESET(rst), .DOUT(p), .SOA(), .SOB());
      assign dout = {36'b0, p};
    end
    assign x[i] = ^dout;
  end endgenerate
  generate for (i = 0; i < M; i = i + 1) begin : m
    wire [35:0] p;
    MULT18X18 u (.A(lfsr[17+(i%40):(i%40)]), .SIA(18'b0), .B(lfsr[63:46] ^ {18{lfsr[i%60]}}),
      .SIB(18'b0), .ASIGN(1'b0), .BSIGN(1'b0), .ASEL(1'b0), .BSEL(1'b0), .CE(1'b1), .CLK(clk),
      .RESET(rst), .DOUT(p), .SOA(), .SOB());
    assign y[i] = ^p ^ y[i+1];
  end endgenerate
  assign led = {^x ^ y[0], lfsr[2:0]};
endmodule
