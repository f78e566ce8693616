// E-RNN block-circulant LSTM/GRU layer, HLS C++ (see ernn.h). The schedule follows the RTL:
// per step NPASS passes (LSTM 1; GRU 2: z and r, then the candidate n over [x; r*h]); per
// pass P = HIDDEN/K output block rows; per row QG = (INPUT+HIDDEN)/(K*PE) pipelined issues
// (II=1) of PE circulant blocks for all gate lanes of the pass. FFT=1: the input blocks'
// spectra are computed in row 0 of a pass and kept; every row ends with one inverse FFT per
// lane. DATAFLOW does not apply inside the recurrence.
#include "ernn.h"

#include "ernn_params.h"
#if ERNN_GEN_INPUT != INPUT || ERNN_GEN_HIDDEN != HIDDEN || ERNN_GEN_K != K || ERNN_GEN_CELL != CELL || \
    ERNN_GEN_FFT != FFT || ERNN_GEN_WBITS != WBITS || ERNN_GEN_ABITS != ABITS ||                      \
    ERNN_GEN_ACCBITS != ACCBITS || ERNN_GEN_CBITS != CBITS || ERNN_GEN_LUTBITS != LUTBITS ||           \
    ERNN_GEN_GBITS != GBITS || ERNN_GEN_PE != PE || ERNN_GEN_TBITS != TBITS ||                        \
    ERNN_GEN_XFRAC != XFRAC || ERNN_GEN_SFRAC != SFRAC
#error "ernn_params.h was generated for other parameters than the -D macros"
#endif

static constexpr int clog2(int n) { return n <= 1 ? 0 : 1 + clog2((n + 1) / 2); }

#define ERNN_P (HIDDEN / K)
#define ERNN_QX (INPUT / K)
#define ERNN_Q ((INPUT + HIDDEN) / K)
#define ERNN_QG (ERNN_Q / PE)
#define ERNN_QGX (ERNN_QX / PE)
#define ERNN_NPASS (CELL ? 2 : 1)
#define ERNN_NL (CELL ? 2 : 4)
#define ERNN_NB (K / 2 + 1)
static constexpr int LK = clog2(K);
static constexpr int FA = WBITS + ABITS - 2;
static constexpr int LF = LUTBITS - 4;
static constexpr int HSH = 2 * GBITS - (ABITS - 1);
static constexpr int CF = CBITS - 4;
static constexpr int XB = ABITS + XFRAC + LK + 1;
static constexpr int SB = WBITS + LK + SFRAC;
static constexpr int AB = XB + SB + 1 + (ERNN_Q > 2 ? clog2(ERNN_Q) : 1) + 1;
static constexpr int IB = AB + LK + 1;
static constexpr int SH = LK + XFRAC + SFRAC;

typedef ap_int<ACCBITS> acc_t;
typedef ap_uint<LUTBITS> addr_t;
typedef ap_uint<GBITS> sig_t;
typedef ap_int<GBITS + 1> tanh_t;
typedef ap_int<CBITS> cell_t;

static addr_t table_addr(acc_t acc) {
#pragma HLS INLINE
    ap_int<ACCBITS + (LF > FA ? LF - FA : 0)> a = acc;
    if (LF > FA) a = a << (LF - FA);
    else a = a >> (FA - LF);
    const int hi = (1 << (LUTBITS - 1)) - 1, lo = -(1 << (LUTBITS - 1));
    ap_int<LUTBITS> idx = (a > hi) ? ap_int<LUTBITS>(hi) : (a < lo) ? ap_int<LUTBITS>(lo) : ap_int<LUTBITS>(a);
    addr_t addr = idx;
    addr[LUTBITS - 1] = !addr[LUTBITS - 1];
    return addr;
}

static ernn_act_t sat_act(ap_int<2 * GBITS + 8> v) {
#pragma HLS INLINE
    const int hi = (1 << (ABITS - 1)) - 1, lo = -(1 << (ABITS - 1));
    return (v > hi) ? ernn_act_t(hi) : (v < lo) ? ernn_act_t(lo) : ernn_act_t(v);
}

// the fixed-point radix-2 DIT FFT of the model (fft_fixed), in place, natural order in/out
template <int W, bool INV>
static void fft(ap_int<W> re[K], ap_int<W> im[K]) {
#pragma HLS INLINE
    ap_int<W> ar[K], ai[K];
    for (int n = 0; n < K; n++) {
        int r = 0;
        for (int b = 0; b < LK; b++)
            if ((n >> b) & 1) r |= 1 << (LK - 1 - b);
        ar[n] = re[r];
        ai[n] = im[r];
    }
    for (int m = 2; m <= K; m *= 2) {
        const int h = m / 2;
        for (int j = 0; j < K; j += m)
            for (int t = 0; t < h; t++) {
                const ap_int<TBITS + 1> wr = ERNN_TWR[t * (K / m)];
                const ap_int<TBITS + 1> wi = INV ? -ERNN_TWI[t * (K / m)] : ERNN_TWI[t * (K / m)];
                const ap_int<W + TBITS + 2> br = ar[j + t + h], bi = ai[j + t + h];
                ap_int<W + TBITS + 2> pr = br * wr - bi * wi;
                ap_int<W + TBITS + 2> pi = br * wi + bi * wr;
                pr = (pr + (1 << (TBITS - 3))) >> (TBITS - 2);
                pi = (pi + (1 << (TBITS - 3))) >> (TBITS - 2);
                const ap_int<W> xr = ar[j + t], xi = ai[j + t];
                ar[j + t] = xr + ap_int<W>(pr);
                ai[j + t] = xi + ap_int<W>(pi);
                ar[j + t + h] = xr - ap_int<W>(pr);
                ai[j + t + h] = xi - ap_int<W>(pi);
            }
    }
    for (int n = 0; n < K; n++) {
        re[n] = ar[n];
        im[n] = ai[n];
    }
}

void ernn_top(const ernn_act_t x[ERNN_MAXLEN][INPUT], int len, ernn_act_t y[ERNN_MAXLEN][HIDDEN]) {
#pragma HLS INTERFACE ap_memory port=x
#pragma HLS INTERFACE ap_memory port=y
#pragma HLS INTERFACE s_axilite port=len
#pragma HLS INTERFACE s_axilite port=return
#pragma HLS ARRAY_PARTITION variable=ERNN_W complete dim=2
#pragma HLS ARRAY_PARTITION variable=ERNN_W complete dim=3
#pragma HLS ARRAY_PARTITION variable=ERNN_W complete dim=4
    ernn_act_t h[HIDDEN], hn[HIDDEN], rh[HIDDEN];
    cell_t c[HIDDEN];
    sig_t z[HIDDEN];
    ap_int<XB> xs_re[ERNN_Q][ERNN_NB], xs_im[ERNN_Q][ERNN_NB];
    for (int j = 0; j < HIDDEN; j++) {
        h[j] = 0;
        c[j] = 0;
    }
    if (len > ERNN_MAXLEN) len = ERNN_MAXLEN;
steps:
    for (int t = 0; t < len; t++) {
    passes:
        for (int ps = 0; ps < ERNN_NPASS; ps++) {
            ernn_act_t u[INPUT + HIDDEN];
            for (int j = 0; j < INPUT; j++) u[j] = x[t][j];
            for (int j = 0; j < HIDDEN; j++) u[INPUT + j] = ps ? rh[j] : h[j];
        rows:
            for (int p = 0; p < ERNN_P; p++) {
                acc_t acc[ERNN_NL][K];
                ap_int<AB> fr[ERNN_NL][ERNN_NB], fi[ERNN_NL][ERNN_NB];
                for (int l = 0; l < ERNN_NL; l++) {
                    for (int r = 0; r < K; r++) acc[l][r] = ERNN_BIAS[ps * ERNN_P + p][l][r];
                    for (int m = 0; m < ERNN_NB; m++) fr[l][m] = fi[l][m] = 0;
                }
            groups:
                for (int g = 0; g < ERNN_QG; g++) {
#pragma HLS PIPELINE II=1
                    const int addr = (ps * ERNN_P + p) * ERNN_QG + g;
                    for (int e = 0; e < PE; e++) {
                        const int q = g * PE + e;
                        if (FFT == 0) {
                            for (int l = 0; l < ERNN_NL; l++)
                                for (int r = 0; r < K; r++) {
                                    ap_int<WBITS + ABITS + 8> s = 0;
                                    for (int cc = 0; cc < K; cc++)
                                        s += ap_int<WBITS>(ERNN_W[addr][l][e][(r - cc + K) % K]) * u[q * K + cc];
                                    acc[l][r] += s;
                                }
                        } else {
                            if (p == 0) {
                                ap_int<XB> br[K], bi[K];
                                for (int n = 0; n < K; n++) {
                                    br[n] = ap_int<XB>(u[q * K + n]) << XFRAC;
                                    bi[n] = 0;
                                }
                                fft<XB, false>(br, bi);
                                for (int m = 0; m < ERNN_NB; m++) {
                                    xs_re[q][m] = br[m];
                                    xs_im[q][m] = bi[m];
                                }
                            }
                            for (int l = 0; l < ERNN_NL; l++)
                                for (int m = 0; m < ERNN_NB; m++) {
                                    const ap_int<AB> sr = ERNN_W[addr][l][e][m];
                                    const ap_int<AB> si = (m > 0 && m < K / 2) ? ap_int<AB>(ERNN_W[addr][l][e][K / 2 + m]) : ap_int<AB>(0);
                                    const ap_int<AB> xr = xs_re[q][m], xi = xs_im[q][m];
                                    fr[l][m] += xr * sr - xi * si;
                                    fi[l][m] += xr * si + xi * sr;
                                }
                        }
                    }
                }
                if (FFT) {
                    for (int l = 0; l < ERNN_NL; l++) {
                        ap_int<IB> br[K], bi[K];
                        for (int n = 0; n < K; n++) {
                            const int mm = (n <= K / 2) ? n : K - n;
                            br[n] = fr[l][mm];
                            bi[n] = (n <= K / 2) ? ap_int<IB>(fi[l][mm]) : ap_int<IB>(-fi[l][mm]);
                        }
                        fft<IB, true>(br, bi);
                        for (int r = 0; r < K; r++) {
                            ap_int<IB> d = br[r];
                            if (SH > 0) d = (d + (ap_int<IB>(1) << (SH > 0 ? SH - 1 : 0))) >> SH;
                            acc[l][r] += acc_t(d);
                        }
                    }
                }
                // cell of the row's K units
                for (int r = 0; r < K; r++) {
                    const int j = p * K + r;
                    if (CELL == 0) {
                        const sig_t gi = ERNN_SIGMOID[table_addr(acc[0][r])];
                        const sig_t gf = ERNN_SIGMOID[table_addr(acc[1][r])];
                        const tanh_t gg = ERNN_TANH[table_addr(acc[2][r])];
                        const sig_t go = ERNN_SIGMOID[table_addr(acc[3][r])];
                        ap_int<GBITS + CBITS + 2> fc = ap_int<GBITS + 1>(gf) * c[j];
                        fc = fc >> GBITS;
                        ap_int<2 * GBITS + 2> ig = ap_int<GBITS + 1>(gi) * gg;
                        ig = ig >> (2 * GBITS - CF);
                        const ap_int<GBITS + CBITS + 2 * GBITS + 4> cs = ap_int<GBITS + CBITS + 2 * GBITS + 4>(fc) + ig;
                        const int chi = (1 << (CBITS - 1)) - 1, clo = -(1 << (CBITS - 1));
                        c[j] = (cs > chi) ? cell_t(chi) : (cs < clo) ? cell_t(clo) : cell_t(cs);
                        addr_t ca = ap_uint<LUTBITS>(c[j].range(CBITS - 1, CBITS - LUTBITS));
                        ca[LUTBITS - 1] = !ca[LUTBITS - 1];
                        ap_int<2 * GBITS + 8> oh = ap_int<GBITS + 1>(go) * tanh_t(ERNN_TANH[ca]);
                        oh = (oh + (ap_int<2 * GBITS + 8>(1) << (HSH - 1))) >> HSH;
                        hn[j] = sat_act(oh);
                    } else if (ps == 0) {
                        z[j] = ERNN_SIGMOID[table_addr(acc[0][r])];
                        const sig_t rr = ERNN_SIGMOID[table_addr(acc[1][r])];
                        ap_int<GBITS + ABITS + 2> v = ap_int<GBITS + 1>(rr) * h[j];
                        rh[j] = ernn_act_t((v + (1 << (GBITS - 1))) >> GBITS);
                    } else {
                        const tanh_t n = ERNN_TANH[table_addr(acc[0][r])];
                        const ap_int<GBITS + 2> hg = ap_int<GBITS + 2>(h[j]) << (GBITS - (ABITS - 1));
                        ap_int<2 * GBITS + 8> v = (ap_int<2 * GBITS + 8>(hg) << GBITS) + ap_int<GBITS + 1>(z[j]) * (n - hg);
                        v = (v + (ap_int<2 * GBITS + 8>(1) << (HSH - 1))) >> HSH;
                        hn[j] = sat_act(v);
                    }
                }
            }
        }
        for (int j = 0; j < HIDDEN; j++) {
            h[j] = hn[j];
            y[t][j] = hn[j];
        }
    }
}
