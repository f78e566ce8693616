// BiLSTM layer (FINN-L, Rybalkin et al., FPL 2018) for Vivado/Vitis HLS.
// Same arithmetic, parameters and output order as the RTL core and the bit-exact model
// fpgaflow/models/bilstm.py (its module docstring defines the number formats).
//
// Parameters are preprocessor macros (-D NAME=VALUE), the same names as the RTL
// parameters. The ROMs and tables come from the generated header bilstm_params.h, which
// `python3 -m fpgaflow.models.bilstm vectors DIR` writes into DIR (compile with -IDIR);
// it must have been generated with the same parameters (checked at compile time).
// For HLS synthesis the header is required (constant ROMs). In C-simulation without it on
// the include path, the same ROM contents are loaded at run time from the hex files the
// RTL reads (bilstm_load_roms); with it, bilstm_load_roms checks header == hex files.
#ifndef BILSTM_H
#define BILSTM_H

#include <ap_int.h>

#ifndef HIDDEN
#define HIDDEN 128
#endif
#ifndef INPUT
#define INPUT 32
#endif
#ifndef WBITS
#define WBITS 4
#endif
#ifndef ABITS
#define ABITS 4
#endif
#ifndef ACCBITS
#define ACCBITS 24
#endif
#ifndef CBITS
#define CBITS 16
#endif
#ifndef LUTBITS
#define LUTBITS 8
#endif
#ifndef GBITS
#define GBITS 8
#endif
#ifndef PE
#define PE 1
#endif
#ifndef SIMD_IN
#define SIMD_IN 16
#endif
#ifndef SIMD_REC
#define SIMD_REC 64
#endif
#ifndef MAXLEN
#define MAXLEN 512
#endif
#ifndef SEQLEN
#define SEQLEN 16
#endif

typedef ap_int<ABITS> bilstm_act_t;  // x and h: s[ABITS].[ABITS-1]

// One call processes one sequence of len (1..MAXLEN) columns x[t][pixel].
// y[s][j] = h_fwd(column s)[j] for j < HIDDEN, y[s][HIDDEN + j] = h_bwd(column len-1-s)[j]
// (the order in which the time-multiplexed datapath produces them, as in the RTL).
void bilstm_top(const bilstm_act_t x[MAXLEN][INPUT], int len,
                bilstm_act_t y[MAXLEN][2 * HIDDEN]);

#ifndef __SYNTHESIS__
#include <string>
// C-simulation only: load (no header) or check (header) the ROMs against the hex files
// bilstm_{wx,wh,bias,sigmoid,tanh}.hex in the working directory. false + message on error.
bool bilstm_load_roms();

// bits [lo, lo+width) of a hex word (most significant digit first), sign-extended
static inline long long bilstm_hex_field(const std::string &hex, int lo, int width) {
    long long v = 0;
    for (int b = width - 1; b >= 0; b--) {
        const int bit = lo + b;
        const int pos = (int)hex.size() - 1 - bit / 4;
        int nib = 0;
        if (pos >= 0) {
            const char ch = hex[pos];
            nib = (ch >= '0' && ch <= '9') ? ch - '0' : (ch | 0x20) - 'a' + 10;
        }
        v = (v << 1) | ((nib >> (bit % 4)) & 1);
    }
    if (v & (1LL << (width - 1))) v -= (1LL << width);
    return v;
}
#endif

#endif
