// C-simulation testbench of the HLS BiLSTM network (bilstm_top). Reads the vector files
// written by `python3 -m fpgaflow.models.bilstm vectors .` from the working directory, runs
// every sequence and compares every hidden output, every output-layer score and every label
// with the model's, then prints exactly one line:
//   FPGAFLOW_SIM vectors=<N> mismatches=<M>
// (N columns; M counts hidden beats, score columns and label sequences that differ).
// Exit status 1 on mismatches.
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

static bilstm_pix_t x[MAXLEN][INPUT];
static bilstm_act_t beats[MAXLEN][2 * HIDDEN];
static bilstm_score_t scores[MAXLEN][CLASSES];
static bilstm_label_t labels[MAXLEN + 1];

template <int W, typename T>
static long long code(const T &v) {
    return (long long)ap_int<W>(v.range(W - 1, 0)).to_int64();
}

int main() {
    std::vector<std::string> count = read_lines("bilstm_count.hex");
    std::vector<std::string> in = read_lines("bilstm_in.hex");
    std::vector<std::string> last = read_lines("bilstm_last.hex");
    std::vector<std::string> want = read_lines("bilstm_out.hex");
    std::vector<std::string> wsc = read_lines("bilstm_scores.hex");
    std::vector<std::string> wlab = read_lines("bilstm_labels.hex");
    const long n = count.size() == 4 ? std::strtol(count[0].c_str(), nullptr, 16) : 0;
    if (n < 1 || (long)in.size() != n || (long)last.size() != n || (long)want.size() != n ||
        (long)wsc.size() != n * CLASSES ||
        (long)wlab.size() != std::strtol(count[3].c_str(), nullptr, 16)) {
        std::printf("FPGAFLOW_SIM vectors=%ld mismatches=%ld\n", n, n > 0 ? n : 1L);
        std::fprintf(stderr, "bilstm_tb: vector files missing or inconsistent\n");
        return 1;
    }
    if (!bilstm_load_roms()) {
        std::printf("FPGAFLOW_SIM vectors=%ld mismatches=%ld\n", n, n);
        return 1;
    }
    long mism = 0, shown = 0, pos = 0, lpos = 0;
    while (pos < n) {
        int len = 0;
        while (pos + len < n) {
            if (len >= MAXLEN) break;
            for (int i = 0; i < INPUT; i++)
                x[len][i].range(ABITS - 1, 0) = ap_int<ABITS>(field(in[pos + len], i * ABITS, ABITS));
            len++;
            if (last[pos + len - 1][0] == '1') break;
        }
        int nl = 0;
        bilstm_top(x, len, beats, scores, labels, &nl);
        for (int s = 0; s < len; s++) {
            bool bad = false;
            for (int j = 0; j < 2 * HIDDEN; j++)
                if (code<ABITS>(beats[s][j]) != field(want[pos + s], j * ABITS, ABITS)) bad = true;
            if (bad) {
                mism++;
                if (shown++ < 4) std::fprintf(stderr, "bilstm_tb: hidden beat %ld differs\n", pos + s);
            }
            bad = false;
            for (int k = 0; k < CLASSES; k++)
                if (code<16>(scores[s][k]) != field(wsc[(pos + s) * CLASSES + k], 0, 16)) bad = true;
            if (bad) {
                mism++;
                if (shown++ < 4) std::fprintf(stderr, "bilstm_tb: scores of column %ld differ\n", pos + s);
            }
        }
        // the model's labels of this sequence end with the terminator CLASSES
        bool bad = false;
        int k = 0;
        for (;; k++) {
            if (lpos + k >= (long)wlab.size()) { bad = true; break; }
            const long long w = field(wlab[lpos + k], 0, 16) & 0xffff;
            if (k >= nl || (long long)labels[k].to_uint() != w) bad = true;
            if (w == CLASSES) break;
        }
        if (k + 1 != nl) bad = true;
        lpos += k + 1;
        if (bad) {
            mism++;
            if (shown++ < 4) std::fprintf(stderr, "bilstm_tb: labels of the sequence at %ld differ\n", pos);
        }
        pos += len;
    }
    std::printf("FPGAFLOW_SIM vectors=%ld mismatches=%ld\n", n, mism);
    std::fflush(stdout);
    return mism ? 1 : 0;
}
