// a counter on four LEDs (the pins test's top), and the same with one output no board places
module pins (input clk, input rst, output [3:0] led);
  reg [19:0] count = 0;
  always @(posedge clk) count <= rst ? 20'd0 : count + 20'd1;
  assign led = count[19:16];
endmodule

module pins_spare (input clk, input rst, output [3:0] led, output spare);
  pins core (.clk(clk), .rst(rst), .led(led));
  assign spare = led[0] ^ led[3];
endmodule
