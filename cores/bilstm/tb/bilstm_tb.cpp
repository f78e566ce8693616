// C-simulation testbench of the HLS BiLSTM (bilstm_top). Reads the vector files written by
// `python3 -m fpgaflow.models.bilstm vectors .` from the working directory, runs every
// sequence, compares every output bit with bilstm_out.hex and prints exactly one line:
//   FPGAFLOW_SIM vectors=<N> mismatches=<M>
// (M counts output beats with at least one differing bit). Exit status 1 on mismatches.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "bilstm.h"

static std::vector<std::string> read_lines(const char *path) {
    std::vector<std::string> out;
    std::ifstream f(path);
    if (!f) {
        std::fprintf(stderr, "bilstm_tb: cannot open %s\n", path);
        return out;
    }
    std::string line;
    while (std::getline(f, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

#define field bilstm_hex_field

static bilstm_act_t x[MAXLEN][INPUT];
static bilstm_act_t y[MAXLEN][2 * HIDDEN];

int main() {
    std::vector<std::string> count = read_lines("bilstm_count.hex");
    std::vector<std::string> in = read_lines("bilstm_in.hex");
    std::vector<std::string> last = read_lines("bilstm_last.hex");
    std::vector<std::string> want = read_lines("bilstm_out.hex");
    const long n = count.empty() ? 0 : std::strtol(count[0].c_str(), nullptr, 16);
    if (n < 1 || (long)in.size() != n || (long)last.size() != n || (long)want.size() != n) {
        std::printf("FPGAFLOW_SIM vectors=%ld mismatches=%ld\n", n, n > 0 ? n : 1L);
        std::fprintf(stderr, "bilstm_tb: vector files missing or inconsistent\n");
        return 1;
    }
    if (!bilstm_load_roms()) {
        std::printf("FPGAFLOW_SIM vectors=%ld mismatches=%ld\n", n, n);
        return 1;
    }
    long mism = 0, shown = 0, pos = 0;
    while (pos < n) {
        int len = 0;
        while (pos + len < n) {
            if (len >= MAXLEN) break;
            for (int i = 0; i < INPUT; i++) x[len][i] = field(in[pos + len], i * ABITS, ABITS);
            len++;
            if (last[pos + len - 1][0] == '1') break;
        }
        bilstm_top(x, len, y);
        for (int s = 0; s < len; s++) {
            bool bad = false;
            for (int j = 0; j < 2 * HIDDEN; j++) {
                if ((long long)y[s][j].to_int64() != field(want[pos + s], j * ABITS, ABITS))
                    bad = true;
            }
            if (bad) {
                mism++;
                if (shown++ < 4) std::fprintf(stderr, "bilstm_tb: beat %ld mismatch\n", pos + s);
            }
        }
        pos += len;
    }
    std::printf("FPGAFLOW_SIM vectors=%ld mismatches=%ld\n", n, mism);
    std::fflush(stdout);
    return mism ? 1 : 0;
}
