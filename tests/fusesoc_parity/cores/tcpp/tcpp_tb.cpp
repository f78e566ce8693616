// Clocks the counter and counts the cycles whose value is not TCPP_STEP times the cycle.
#include <cstdio>
#include "Vtcpp_count.h"
#include "verilated.h"
#include "tcpp_expect.h"

int main(int argc, char **argv) {
    Verilated::commandArgs(argc, argv);
    Vtcpp_count top;
    int bad = 0, n = 0;
    top.rst = 1; top.clk = 0; top.eval(); top.clk = 1; top.eval();
    top.rst = 0;
    for (int i = 1; i <= 16; i++) {
        top.clk = 0; top.eval(); top.clk = 1; top.eval();
        n++;
        if (top.q != ((i * TCPP_STEP) & 0xff)) bad++;
    }
    std::printf("FPGAFLOW_SIM vectors=%d mismatches=%d cycles_per_item=1\n", n, bad);
    top.final();
    return 0;
}
