// BiLSTM layer, HLS C++ (see bilstm.h). Schedule as in the RTL: for each step s, the
// forward and then the backward direction; per direction HIDDEN/PE unit groups; per group
// NF = max(INPUT/SIMD_IN, HIDDEN/SIMD_REC) pipelined folds (II=1) in which the four gates
// of PE units take SIMD_IN input and SIMD_REC recurrent products each. Cycles per column
// ~ 2 * (HIDDEN/PE) * NF. DATAFLOW does not apply inside the recurrence (every step
// needs the previous step's h); the cell update of a group overlaps the next group's folds
// once the tool flattens the group loop.
#include "bilstm.h"

#define BILSTM_G (HIDDEN / PE)
#define BILSTM_FI (INPUT / SIMD_IN)
#define BILSTM_FR (HIDDEN / SIMD_REC)
#define BILSTM_NF (BILSTM_FI > BILSTM_FR ? BILSTM_FI : BILSTM_FR)
#define BILSTM_FA (WBITS + ABITS - 2)  // accumulator fraction bits
#define BILSTM_LF (LUTBITS - 4)        // table index fraction bits
#define BILSTM_SHR (BILSTM_FA > BILSTM_LF ? BILSTM_FA - BILSTM_LF : 0)
#define BILSTM_SHL (BILSTM_LF > BILSTM_FA ? BILSTM_LF - BILSTM_FA : 0)
#define BILSTM_CF (CBITS - 4)
#define BILSTM_IGSH (2 * GBITS - BILSTM_CF)
#define BILSTM_HSH (2 * GBITS - (ABITS - 1))

#define BILSTM_DEPTH (2 * BILSTM_G * BILSTM_NF)

#if defined(__has_include)
#if __has_include("bilstm_params.h")
#define BILSTM_HAVE_PARAMS_H 1
#endif
#endif

#ifdef BILSTM_HAVE_PARAMS_H
#include "bilstm_params.h"
#if BILSTM_GEN_HIDDEN != HIDDEN || BILSTM_GEN_INPUT != INPUT || BILSTM_GEN_WBITS != WBITS || \
    BILSTM_GEN_ABITS != ABITS || BILSTM_GEN_ACCBITS != ACCBITS || BILSTM_GEN_CBITS != CBITS || \
    BILSTM_GEN_LUTBITS != LUTBITS || BILSTM_GEN_GBITS != GBITS || BILSTM_GEN_PE != PE ||       \
    BILSTM_GEN_SIMD_IN != SIMD_IN || BILSTM_GEN_SIMD_REC != SIMD_REC
#error "bilstm_params.h was generated for other parameters than the -D macros"
#endif
#else
#ifdef __SYNTHESIS__
#error "HLS synthesis needs the generated bilstm_params.h on the include path"
#endif
// C-simulation without the generated header: filled from the hex files by bilstm_load_roms
static int BILSTM_WX[BILSTM_DEPTH][PE][4][SIMD_IN];
static int BILSTM_WH[BILSTM_DEPTH][PE][4][SIMD_REC];
static long long BILSTM_BIAS[2 * BILSTM_G][PE][4];
static int BILSTM_SIGMOID[1 << LUTBITS];
static int BILSTM_TANH[1 << LUTBITS];
#endif

typedef ap_int<WBITS> w_t;
typedef ap_int<ACCBITS> acc_t;
typedef ap_int<ACCBITS + BILSTM_SHL> accs_t;
typedef ap_int<LUTBITS> idx_t;
typedef ap_uint<LUTBITS> addr_t;
typedef ap_uint<GBITS> sig_t;
typedef ap_int<GBITS + 1> tanh_t;
typedef ap_int<CBITS> cell_t;

// saturated table address of an accumulator (index + 2^(LUTBITS-1))
static addr_t table_addr(acc_t acc) {
#pragma HLS INLINE
    accs_t a = acc;
    a = a << BILSTM_SHL;
    a = a >> BILSTM_SHR;
    const accs_t hi = (1 << (LUTBITS - 1)) - 1;
    const accs_t lo = -(1 << (LUTBITS - 1));
    idx_t idx = (a > hi) ? idx_t(hi) : (a < lo) ? idx_t(lo) : idx_t(a);
    addr_t addr = idx;  // two's complement bits
    addr[LUTBITS - 1] = !addr[LUTBITS - 1];
    return addr;
}

static sig_t sigmoid_lut(addr_t a) {
#pragma HLS INLINE
    return sig_t(BILSTM_SIGMOID[a]);
}

static tanh_t tanh_lut(addr_t a) {
#pragma HLS INLINE
    return tanh_t(BILSTM_TANH[a]);
}

// c' and h of one unit from its four gate accumulators (gate order i, f, g, o)
static void cell_update(const acc_t acc[4], cell_t &c, bilstm_act_t &h) {
#pragma HLS INLINE
    sig_t gi = sigmoid_lut(table_addr(acc[0]));
    sig_t gf = sigmoid_lut(table_addr(acc[1]));
    tanh_t gg = tanh_lut(table_addr(acc[2]));
    sig_t go = sigmoid_lut(table_addr(acc[3]));

    ap_int<GBITS + CBITS + 1> fc = ap_int<GBITS + 1>(gf) * c;
    fc = fc >> GBITS;
    ap_int<2 * GBITS + 2> ig = ap_int<GBITS + 1>(gi) * gg;
    ig = ig >> BILSTM_IGSH;
    ap_int<GBITS + CBITS + 2 * GBITS + 4> sum = ap_int<GBITS + CBITS + 2 * GBITS + 4>(fc) + ig;
    const ap_int<CBITS + 1> cmax = (1 << (CBITS - 1)) - 1;
    const ap_int<CBITS + 1> cmin = -(1 << (CBITS - 1));
    c = (sum > cmax) ? cell_t(cmax) : (sum < cmin) ? cell_t(cmin) : cell_t(sum);

    addr_t ca = ap_uint<LUTBITS>(c.range(CBITS - 1, CBITS - LUTBITS));
    ca[LUTBITS - 1] = !ca[LUTBITS - 1];
    tanh_t tc = tanh_lut(ca);
    ap_int<2 * GBITS + 3> oh = ap_int<GBITS + 1>(go) * tc;
    oh += ap_int<2 * GBITS + 3>(1) << (BILSTM_HSH - 1);
    oh = oh >> BILSTM_HSH;
    const ap_int<2 * GBITS + 3> hmax = (1 << (ABITS - 1)) - 1;
    const ap_int<2 * GBITS + 3> hmin = -(1 << (ABITS - 1));
    h = (oh > hmax) ? bilstm_act_t(hmax) : (oh < hmin) ? bilstm_act_t(hmin) : bilstm_act_t(oh);
}

void bilstm_top(const bilstm_act_t x[MAXLEN][INPUT], int len,
                bilstm_act_t y[MAXLEN][2 * HIDDEN]) {
#pragma HLS INTERFACE ap_memory port=x
#pragma HLS INTERFACE ap_memory port=y
#pragma HLS INTERFACE s_axilite port=len
#pragma HLS INTERFACE s_axilite port=return
#pragma HLS ARRAY_RESHAPE variable=x complete dim=2
#pragma HLS ARRAY_RESHAPE variable=y complete dim=2
#pragma HLS ARRAY_PARTITION variable=BILSTM_WX complete dim=2
#pragma HLS ARRAY_PARTITION variable=BILSTM_WX complete dim=3
#pragma HLS ARRAY_PARTITION variable=BILSTM_WX complete dim=4
#pragma HLS ARRAY_PARTITION variable=BILSTM_WH complete dim=2
#pragma HLS ARRAY_PARTITION variable=BILSTM_WH complete dim=3
#pragma HLS ARRAY_PARTITION variable=BILSTM_WH complete dim=4
#pragma HLS ARRAY_PARTITION variable=BILSTM_BIAS complete dim=2
#pragma HLS ARRAY_PARTITION variable=BILSTM_BIAS complete dim=3
    bilstm_act_t h[2][HIDDEN];
    bilstm_act_t hn[2][HIDDEN];
    cell_t c[2][BILSTM_G][PE];
    bilstm_act_t col[INPUT];
#pragma HLS ARRAY_PARTITION variable=h complete dim=0
#pragma HLS ARRAY_PARTITION variable=hn complete dim=0
#pragma HLS ARRAY_PARTITION variable=c complete dim=3
#pragma HLS ARRAY_PARTITION variable=col complete dim=1

    if (len < 1) return;
    if (len > MAXLEN) len = MAXLEN;

init:
    for (int j = 0; j < HIDDEN; j++) {
#pragma HLS UNROLL
        h[0][j] = 0;
        h[1][j] = 0;
    }
    for (int g = 0; g < BILSTM_G; g++) {
        for (int p = 0; p < PE; p++) {
#pragma HLS UNROLL
            c[0][g][p] = 0;
            c[1][g][p] = 0;
        }
    }

steps:
    for (int s = 0; s < len; s++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=MAXLEN
    dirs:
        for (int d = 0; d < 2; d++) {
            const int t = d ? len - 1 - s : s;
            for (int i = 0; i < INPUT; i++) {
#pragma HLS UNROLL
                col[i] = x[t][i];
            }
        groups:
            for (int g = 0; g < BILSTM_G; g++) {
                acc_t acc[PE][4];
#pragma HLS ARRAY_PARTITION variable=acc complete dim=0
            folds:
                for (int k = 0; k < BILSTM_NF; k++) {
#pragma HLS PIPELINE II=1
                    const int addr = (d * BILSTM_G + g) * BILSTM_NF + k;
                    for (int p = 0; p < PE; p++) {
                        for (int q = 0; q < 4; q++) {
                            acc_t a = (k == 0) ? acc_t(BILSTM_BIAS[d * BILSTM_G + g][p][q])
                                               : acc[p][q];
                            for (int l = 0; l < SIMD_IN; l++) {
                                const int i = (k < BILSTM_FI ? k : 0) * SIMD_IN + l;
                                a += w_t(BILSTM_WX[addr][p][q][l]) * col[i];
                            }
                            for (int l = 0; l < SIMD_REC; l++) {
                                const int j = (k < BILSTM_FR ? k : 0) * SIMD_REC + l;
                                a += w_t(BILSTM_WH[addr][p][q][l]) * h[d][j];
                            }
                            acc[p][q] = a;
                        }
                    }
                }
            cells:
                for (int p = 0; p < PE; p++) {
#pragma HLS UNROLL
                    cell_t cc = (s == 0) ? cell_t(0) : c[d][g][p];
                    bilstm_act_t hv;
                    cell_update(acc[p], cc, hv);
                    c[d][g][p] = cc;
                    hn[d][g * PE + p] = hv;
                }
            }
            for (int j = 0; j < HIDDEN; j++) {
#pragma HLS UNROLL
                h[d][j] = hn[d][j];
            }
        }
        for (int j = 0; j < HIDDEN; j++) {
#pragma HLS UNROLL
            y[s][j] = h[0][j];
            y[s][HIDDEN + j] = h[1][j];
        }
    }
}

#ifndef __SYNTHESIS__
#include <cstdio>
#include <fstream>
#include <vector>

static bool bilstm_rom_file(const char *path, long depth, int fields, int width,
                            std::vector<long long> &out, bool is_signed = true) {
    std::ifstream f(path);
    if (!f) {
        std::fprintf(stderr, "bilstm: cannot open %s\n", path);
        return false;
    }
    std::string line;
    out.clear();
    long n = 0;
    while (std::getline(f, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty()) continue;
        if ((long)line.size() * 4 < (long)fields * width || (long)line.size() * 4 >= (long)fields * width + 4) {
            std::fprintf(stderr, "bilstm: %s: word of %zu hex digits, expected %d bits\n", path,
                         line.size(), fields * width);
            return false;
        }
        for (int i = 0; i < fields; i++) {
            long long f = bilstm_hex_field(line, i * width, width);
            out.push_back((!is_signed && f < 0) ? f + (1LL << width) : f);
        }
        n++;
    }
    if (n != depth) {
        std::fprintf(stderr, "bilstm: %s has %ld words, expected %ld (other parameters?)\n", path,
                     n, depth);
        return false;
    }
    return true;
}

template <typename T>
static bool bilstm_take(T *rom, const std::vector<long long> &v, const char *name) {
#ifdef BILSTM_HAVE_PARAMS_H
    for (size_t i = 0; i < v.size(); i++) {
        if ((long long)rom[i] != v[i]) {
            std::fprintf(stderr, "bilstm: bilstm_params.h and %s differ at %zu\n", name, i);
            return false;
        }
    }
#else
    for (size_t i = 0; i < v.size(); i++) rom[i] = (T)v[i];
#endif
    return true;
}

bool bilstm_load_roms() {
    std::vector<long long> v;
    return bilstm_rom_file("bilstm_wx.hex", BILSTM_DEPTH, PE * 4 * SIMD_IN, WBITS, v) &&
           bilstm_take(&BILSTM_WX[0][0][0][0], v, "bilstm_wx.hex") &&
           bilstm_rom_file("bilstm_wh.hex", BILSTM_DEPTH, PE * 4 * SIMD_REC, WBITS, v) &&
           bilstm_take(&BILSTM_WH[0][0][0][0], v, "bilstm_wh.hex") &&
           bilstm_rom_file("bilstm_bias.hex", 2 * BILSTM_G, PE * 4, ACCBITS, v) &&
           bilstm_take(&BILSTM_BIAS[0][0][0], v, "bilstm_bias.hex") &&
           bilstm_rom_file("bilstm_sigmoid.hex", 1 << LUTBITS, 1, GBITS, v, false) &&
           bilstm_take(&BILSTM_SIGMOID[0], v, "bilstm_sigmoid.hex") &&
           bilstm_rom_file("bilstm_tanh.hex", 1 << LUTBITS, 1, GBITS + 1, v) &&
           bilstm_take(&BILSTM_TANH[0], v, "bilstm_tanh.hex");
}
#endif
