// C-simulation testbench of the HLS E-RNN (ernn_top). Reads the files written by
// `python3 -m fpgaflow.models.ernn vectors .`, runs every sequence, compares every output
// beat with ernn_out.hex and prints exactly one line:
//   FPGAFLOW_SIM vectors=<N> mismatches=<M>
// (M counts beats with at least one differing bit). Exit status 1 on mismatches.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "ernn.h"

static std::vector<std::string> read_lines(const char *path) {
    std::vector<std::string> out;
    std::ifstream f(path);
    std::string line;
    while (std::getline(f, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

// signed field i (bits wide, field 0 least significant) of a hex word
static long long field(const std::string &hex, int lo, int bits) {
    long long v = 0;
    for (int b = 0; b < bits; b++) {
        const int bit = lo + b;
        const int digit = (int)hex.size() - 1 - bit / 4;
        if (digit < 0) continue;
        const char ch = hex[digit];
        const int nib = (ch <= '9') ? ch - '0' : (ch | 0x20) - 'a' + 10;
        if ((nib >> (bit % 4)) & 1) v |= 1LL << b;
    }
    if ((v >> (bits - 1)) & 1) v -= 1LL << bits;
    return v;
}

static ernn_act_t x[ERNN_MAXLEN][INPUT];
static ernn_act_t y[ERNN_MAXLEN][HIDDEN];

int main() {
    std::vector<std::string> count = read_lines("ernn_count.hex");
    std::vector<std::string> in = read_lines("ernn_in.hex");
    std::vector<std::string> last = read_lines("ernn_last.hex");
    std::vector<std::string> want = read_lines("ernn_out.hex");
    const long n = count.empty() ? 0 : std::strtol(count[0].c_str(), nullptr, 16);
    if (n < 1 || (long)in.size() != n || (long)last.size() != n || (long)want.size() != n) {
        std::printf("FPGAFLOW_SIM vectors=%ld mismatches=%ld\n", n, n > 0 ? n : 1L);
        std::fprintf(stderr, "ernn_tb: vector files missing or inconsistent\n");
        return 1;
    }
    long mism = 0, shown = 0, pos = 0;
    while (pos < n) {
        int len = 0;
        while (pos + len < n && len < ERNN_MAXLEN) {
            for (int i = 0; i < INPUT; i++) x[len][i] = field(in[pos + len], i * ABITS, ABITS);
            len++;
            if (last[pos + len - 1][0] == '1') break;
        }
        ernn_top(x, len, y);
        for (int s = 0; s < len; s++) {
            bool bad = false;
            for (int j = 0; j < HIDDEN; j++)
                if ((long long)y[s][j].to_int64() != field(want[pos + s], j * ABITS, ABITS)) bad = true;
            if (bad) {
                mism++;
                if (shown++ < 4) std::fprintf(stderr, "ernn_tb: beat %ld mismatch\n", pos + s);
            }
        }
        pos += len;
    }
    std::printf("FPGAFLOW_SIM vectors=%ld mismatches=%ld\n", n, mism);
    std::fflush(stdout);
    return mism ? 1 : 0;
}
