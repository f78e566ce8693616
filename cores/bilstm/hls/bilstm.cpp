// BiLSTM OCR network, HLS C++ (see bilstm.h). Every quantity has FINN-L's ap_fixed format,
// rounding and overflow mode (fpgaflow/models/bilstm.py lists them); the arithmetic is
// therefore the ap_fixed library's own.
//
// Schedule as in the RTL: for each step s, the forward and then the backward direction;
// per direction HIDDEN/PE unit groups; per group NF = max(INPUT/SIMD_IN, HIDDEN/SIMD_REC)
// pipelined folds (II=1) in which the four gates of PE units take SIMD_IN input and
// SIMD_REC recurrent products each. Then the output layer per column (both directions,
// SIMD_FC lanes each, one class per HIDDEN/SIMD_FC cycles), MaxPerColumn and FinalLabeling.
#include "bilstm.h"

#define BILSTM_G (HIDDEN / PE)
#define BILSTM_FI (INPUT / SIMD_IN)
#define BILSTM_FR (HIDDEN / SIMD_REC)
#define BILSTM_NF (BILSTM_FI > BILSTM_FR ? BILSTM_FI : BILSTM_FR)
#define BILSTM_FF (HIDDEN / SIMD_FC)
#define BILSTM_DEPTH (2 * BILSTM_G * BILSTM_NF)

#if defined(__has_include)
#if __has_include("bilstm_params.h")
#define BILSTM_HAVE_PARAMS_H 1
#endif
#endif

#ifdef BILSTM_HAVE_PARAMS_H
#include "bilstm_params.h"
#if BILSTM_GEN_HIDDEN != HIDDEN || BILSTM_GEN_INPUT != INPUT || BILSTM_GEN_WBITS != WBITS || \
    BILSTM_GEN_ABITS != ABITS || BILSTM_GEN_CLASSES != CLASSES || BILSTM_GEN_PE != PE ||      \
    BILSTM_GEN_SIMD_IN != SIMD_IN || BILSTM_GEN_SIMD_REC != SIMD_REC ||                       \
    BILSTM_GEN_SIMD_FC != SIMD_FC
#error "bilstm_params.h was generated for other parameters than the -D macros"
#endif
#else
#ifdef __SYNTHESIS__
#error "HLS synthesis needs the generated bilstm_params.h on the include path"
#endif
// C-simulation without the generated header: filled from the hex files by bilstm_load_roms
static int BILSTM_WX[BILSTM_DEPTH][PE][4][SIMD_IN];
static int BILSTM_WH[BILSTM_DEPTH][PE][4][SIMD_REC];
static int BILSTM_BIAS[2 * BILSTM_G][PE][4][2];
static int BILSTM_SIGMOID[256];
static int BILSTM_TANH[256];
static int BILSTM_WFC[CLASSES * BILSTM_FF][2][SIMD_FC];
static int BILSTM_BFC[CLASSES][2];
#endif

typedef ap_fixed<WBITS, 1, AP_RND_ZERO, AP_WRAP> w_t;      // t_fixed_w*_ih/hh
typedef ap_fixed<8, 1, AP_RND_ZERO, AP_WRAP> b8_t;         // biases, wfc, bfc
typedef ap_fixed<16, 8, AP_RND_ZERO, AP_WRAP> dot_t;       // t_fixed_sum_w* (and products)
typedef ap_fixed<16, 8, AP_RND_CONV, AP_SAT> state_t;      // t_fixed_state, t_fixed_g*x_sum
typedef ap_ufixed<8, 1, AP_RND_ZERO, AP_WRAP> sig_t;       // t_fixed_sigma_o
typedef ap_fixed<8, 2, AP_RND_ZERO, AP_WRAP> tanh_t;       // t_fixed_tanh_o

// a value of a fixed-point type from its two's-complement code
template <typename T, int W>
static T from_code(int code) {
#pragma HLS INLINE
    T v;
    v.range(W - 1, 0) = ap_int<W>(code);
    return v;
}

// FINN-L's affine table indexing: [-5, 5] with 25.5 entries per unit (sigmoid),
// [-3, 3] with 42.5 (tanh); out-of-range inputs take the first/last entry
template <typename In>
static unsigned sigmoid_index(In x) {
#pragma HLS INLINE
    const ap_fixed<8, 4, AP_RND_ZERO, AP_WRAP> lo = -5.0, hi = 5.0;
    const ap_ufixed<8, 6, AP_RND_ZERO, AP_WRAP> step = 25.5;
    if (x <= lo) return 0;
    if (x >= hi) return 255;
    In t = x - lo;
    return (t * step).to_uint();
}

template <typename In>
static unsigned tanh_index(In x) {
#pragma HLS INLINE
    const ap_fixed<8, 3, AP_RND_ZERO, AP_WRAP> lo = -3.0, hi = 3.0;
    const ap_ufixed<8, 7, AP_RND_ZERO, AP_WRAP> step = 42.5;
    if (x <= lo) return 0;
    if (x >= hi) return 255;
    In t = x - lo;
    return (t * step).to_uint();
}

static sig_t sigmoid_lut(unsigned i) {
#pragma HLS INLINE
    return from_code<sig_t, 8>(BILSTM_SIGMOID[i]);
}

static tanh_t tanh_lut(unsigned i) {
#pragma HLS INLINE
    return from_code<tanh_t, 8>(BILSTM_TANH[i]);
}

// image column of FINN-L's Concatenator output c (stream item len-1-c of the hidden layer's
// forward/backward interleaved stream)
static int concat_column(int c, int len) {
#pragma HLS INLINE
    const int m = len - 1 - c;
    return (m & 1) ? len - 1 - (m >> 1) : (m >> 1);
}

void bilstm_top(const bilstm_pix_t x[MAXLEN][INPUT], int len,
                bilstm_act_t beats[MAXLEN][2 * HIDDEN],
                bilstm_score_t scores[MAXLEN][CLASSES],
                bilstm_label_t labels[MAXLEN + 1], int *nlabels) {
#pragma HLS INTERFACE ap_memory port=x
#pragma HLS INTERFACE ap_memory port=beats
#pragma HLS INTERFACE ap_memory port=scores
#pragma HLS INTERFACE ap_memory port=labels
#pragma HLS INTERFACE s_axilite port=len
#pragma HLS INTERFACE s_axilite port=nlabels
#pragma HLS INTERFACE s_axilite port=return
#pragma HLS ARRAY_RESHAPE variable=x complete dim=2
#pragma HLS ARRAY_PARTITION variable=BILSTM_WX complete dim=2
#pragma HLS ARRAY_PARTITION variable=BILSTM_WX complete dim=3
#pragma HLS ARRAY_PARTITION variable=BILSTM_WX complete dim=4
#pragma HLS ARRAY_PARTITION variable=BILSTM_WH complete dim=2
#pragma HLS ARRAY_PARTITION variable=BILSTM_WH complete dim=3
#pragma HLS ARRAY_PARTITION variable=BILSTM_WH complete dim=4
#pragma HLS ARRAY_PARTITION variable=BILSTM_WFC complete dim=2
#pragma HLS ARRAY_PARTITION variable=BILSTM_WFC complete dim=3
    static bilstm_act_t hbuf[2][MAXLEN][HIDDEN];   // hidden outputs by image column
#pragma HLS ARRAY_PARTITION variable=hbuf cyclic factor=SIMD_FC dim=3
    bilstm_act_t h[2][HIDDEN];
    bilstm_act_t hn[2][HIDDEN];
    state_t c[2][BILSTM_G][PE];
#pragma HLS ARRAY_PARTITION variable=h complete dim=0
#pragma HLS ARRAY_PARTITION variable=hn complete dim=0
#pragma HLS ARRAY_PARTITION variable=c complete dim=3

    *nlabels = 0;
    if (len < 1) return;
    if (len > MAXLEN) len = MAXLEN;

    for (int j = 0; j < HIDDEN; j++) {
#pragma HLS UNROLL
        h[0][j] = 0;
        h[1][j] = 0;
    }

hidden_steps:
    for (int s = 0; s < len; s++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=MAXLEN
    dirs:
        for (int d = 0; d < 2; d++) {
            const int t = d ? len - 1 - s : s;
        groups:
            for (int g = 0; g < BILSTM_G; g++) {
                dot_t sum_in[PE][4], sum_rec[PE][4];
#pragma HLS ARRAY_PARTITION variable=sum_in complete dim=0
#pragma HLS ARRAY_PARTITION variable=sum_rec complete dim=0
            folds:
                for (int k = 0; k < BILSTM_NF; k++) {
#pragma HLS PIPELINE II=1
                    const int addr = (d * BILSTM_G + g) * BILSTM_NF + k;
                    for (int p = 0; p < PE; p++) {
                        for (int q = 0; q < 4; q++) {
                            dot_t si = (k == 0) ? dot_t(0) : sum_in[p][q];
                            dot_t sr = (k == 0) ? dot_t(0) : sum_rec[p][q];
                            if (k < BILSTM_FI) {
                                for (int l = 0; l < SIMD_IN; l++) {
                                    // each product to <16,8,RND_ZERO,WRAP> (FINN-L's mul_pix)
                                    dot_t prod = x[t][k * SIMD_IN + l] *
                                                 from_code<w_t, WBITS>(BILSTM_WX[addr][p][q][l]);
                                    si += prod;
                                }
                            }
                            if (k < BILSTM_FR) {
                                for (int l = 0; l < SIMD_REC; l++) {
                                    dot_t prod = h[d][k * SIMD_REC + l] *
                                                 from_code<w_t, WBITS>(BILSTM_WH[addr][p][q][l]);
                                    sr += prod;
                                }
                            }
                            sum_in[p][q] = si;
                            sum_rec[p][q] = sr;
                        }
                    }
                }
            cells:
                for (int p = 0; p < PE; p++) {
#pragma HLS UNROLL
                    dot_t acc[4];
                    for (int q = 0; q < 4; q++) {
                        const b8_t bi = from_code<b8_t, 8>(BILSTM_BIAS[d * BILSTM_G + g][p][q][0]);
                        const b8_t bh = from_code<b8_t, 8>(BILSTM_BIAS[d * BILSTM_G + g][p][q][1]);
                        acc[q] = (dot_t)bi + (dot_t)bh + sum_in[p][q] + sum_rec[p][q];
                    }
                    const state_t ai = acc[0], af = acc[1], ao = acc[3];
                    const sig_t gi = sigmoid_lut(sigmoid_index(ai));
                    const sig_t gf = sigmoid_lut(sigmoid_index(af));
                    const sig_t go = sigmoid_lut(sigmoid_index(ao));
                    const tanh_t gg = tanh_lut(tanh_index(acc[2]));
                    const state_t ig = gg * gi;
                    state_t cn;
                    if (s == 0) {
                        cn = ig;
                    } else {
                        const state_t fc = gf * c[d][g][p];
                        cn = ig + fc;
                    }
                    c[d][g][p] = cn;
                    const tanh_t tc = tanh_lut(tanh_index(cn));
                    const bilstm_act_t hv = tc * go;
                    hn[d][g * PE + p] = hv;
                }
            }
            for (int j = 0; j < HIDDEN; j++) {
#pragma HLS UNROLL
                h[d][j] = hn[d][j];
                hbuf[d][t][j] = hn[d][j];
                beats[s][d * HIDDEN + j] = hn[d][j];
            }
        }
    }

    // output layer + MaxPerColumn in FINN-L's Concatenator order; FinalLabeling positions
    static bilstm_score_t gval[MAXLEN];
    static bilstm_label_t glab[MAXLEN];
    bilstm_label_t label = 0;
    const int center = len >> 1;
    int pointer = 0;
out_columns:
    for (int cc = 0; cc < len; cc++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=MAXLEN
        const int t = concat_column(cc, len);
        bilstm_score_t value = 0;
    classes:
        for (int k = 0; k < CLASSES; k++) {
            bilstm_score_t part[2];
            for (int d = 0; d < 2; d++) part[d] = from_code<b8_t, 8>(BILSTM_BFC[k][d]);
        fc_folds:
            for (int f = 0; f < BILSTM_FF; f++) {
#pragma HLS PIPELINE II=1
                for (int d = 0; d < 2; d++) {
                    bilstm_score_t sum = part[d];
                    for (int l = 0; l < SIMD_FC; l++) {
                        // each product to <16,8,RND_CONV,WRAP> (FINN-L's mul)
                        const bilstm_score_t mul =
                            hbuf[d][t][f * SIMD_FC + l] *
                            from_code<b8_t, 8>(BILSTM_WFC[k * BILSTM_FF + f][d][l]);
                        sum += mul;
                    }
                    part[d] = sum;
                }
            }
            const bilstm_score_t score = part[0] + part[1];   // Concatenator
            scores[cc][k] = score;
            if (score > value) {          // MaxPerColumn: the label is not reset per column
                value = score;
                label = k;
            }
        }
        const int pos = center + pointer;
        gval[pos] = (label == 0) ? bilstm_score_t(0) : value;
        glab[pos] = label;
        if ((cc & 1) == 0) pointer = -(pointer + 1);
        else pointer = -pointer;
    }

    // FinalLabeling, second pass
    bilstm_score_t pv = 0;
    bilstm_label_t pl = 0;
    int n = 0;
final_labels:
    for (int t = 0; t < len; t++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=MAXLEN
#pragma HLS PIPELINE II=1
        if (gval[t] > pv) {
            pv = gval[t];
            pl = glab[t];
        } else if (pl != 0 && glab[t] == 0) {
            labels[n++] = pl;
            pv = gval[t];
            pl = glab[t];
        }
    }
    labels[n++] = CLASSES;
    *nlabels = n;
}

#ifndef __SYNTHESIS__
#include <cstdio>
#include <fstream>
#include <vector>

static bool bilstm_rom_file(const char *path, long depth, int fields, int width,
                            std::vector<long long> &out) {
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
        if ((long)line.size() * 4 < (long)fields * width ||
            (long)line.size() * 4 >= (long)fields * width + 4) {
            std::fprintf(stderr, "bilstm: %s: word of %zu hex digits, expected %d bits\n", path,
                         line.size(), fields * width);
            return false;
        }
        for (int i = 0; i < fields; i++) out.push_back(bilstm_hex_field(line, i * width, width));
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
           bilstm_rom_file("bilstm_bias.hex", 2 * BILSTM_G, PE * 4 * 2, 8, v) &&
           bilstm_take(&BILSTM_BIAS[0][0][0][0], v, "bilstm_bias.hex") &&
           bilstm_rom_file("bilstm_sigmoid.hex", 256, 1, 8, v) &&
           bilstm_take(&BILSTM_SIGMOID[0], v, "bilstm_sigmoid.hex") &&
           bilstm_rom_file("bilstm_tanh.hex", 256, 1, 8, v) &&
           bilstm_take(&BILSTM_TANH[0], v, "bilstm_tanh.hex") &&
           bilstm_rom_file("bilstm_wfc.hex", CLASSES * BILSTM_FF, 2 * SIMD_FC, 8, v) &&
           bilstm_take(&BILSTM_WFC[0][0][0], v, "bilstm_wfc.hex") &&
           bilstm_rom_file("bilstm_bfc.hex", CLASSES, 2, 8, v) &&
           bilstm_take(&BILSTM_BFC[0][0], v, "bilstm_bfc.hex");
}
#endif
