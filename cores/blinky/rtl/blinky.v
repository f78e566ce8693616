// LED blinker: a free-running WIDTH-bit counter; the top LEDS bits drive the LEDs.
module blinky #(
    parameter integer WIDTH = 24,
    parameter integer LEDS = 4
) (
    input  wire            clk,
    input  wire            rst,
    output wire [LEDS-1:0] led
);
    reg [WIDTH-1:0] count = {WIDTH{1'b0}};
    always @(posedge clk) begin
        if (rst) count <= {WIDTH{1'b0}};
        else     count <= count + 1'b1;
    end
    assign led = count[WIDTH-1 -: LEDS];
endmodule
