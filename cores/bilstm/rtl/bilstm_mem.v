`timescale 1ns/1ps
// verilator lint_off WIDTH
// Memories of the BiLSTM core: a ROM initialised from a hex file and a simple
// dual-port RAM, both with a registered read port (so Yosys maps them to block RAM).
// Plain Verilog-2005.

module bilstm_rom #(
    parameter WIDTH = 8,
    parameter DEPTH = 256,
    parameter AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1,
    parameter FILE  = "",             // hex file, one word a line
    parameter BLOCK = 0               // 1: ask for block RAM (rom_style), 0: tool's choice
) (
    input                  clk,
    input      [AW-1:0]    addr,
    output reg [WIDTH-1:0] q
);
    generate
        if (BLOCK) begin : g_block
            (* rom_style = "block", ram_style = "block" *)
            reg [WIDTH-1:0] mem [0:DEPTH-1];
            if (FILE != "") begin : g_init
                initial $readmemh(FILE, mem);
            end
            always @(posedge clk) q <= mem[addr];
        end else begin : g_auto
            reg [WIDTH-1:0] mem [0:DEPTH-1];
            if (FILE != "") begin : g_init
                initial $readmemh(FILE, mem);
            end
            always @(posedge clk) q <= mem[addr];
        end
    endgenerate
endmodule

module bilstm_ram #(
    parameter WIDTH = 8,
    parameter DEPTH = 256,
    parameter AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
    input                  clk,
    input                  we,
    input      [AW-1:0]    waddr,
    input      [WIDTH-1:0] wdata,
    input      [AW-1:0]    raddr,
    output reg [WIDTH-1:0] q
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    always @(posedge clk) begin
        if (we) mem[waddr] <= wdata;
        q <= mem[raddr];
    end
endmodule
