// BiLSTM OCR network (FINN-L, Rybalkin et al., FPL 2018) for Vivado/Vitis HLS: the hidden
// layer (both directions), the output layer, MaxPerColumn and FinalLabeling.
// Same arithmetic, parameters and output order as the RTL core and the bit-exact model
// fpgaflow/models/bilstm.py (its module docstring defines the formats, FINN-L's).
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

#include <ap_fixed.h>
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
#ifndef CLASSES
#define CLASSES 82
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
#ifndef SIMD_FC
#define SIMD_FC 64
#endif
#ifndef MAXLEN
#define MAXLEN 732
#endif
#ifndef SEQLEN
#define SEQLEN 16
#endif

// FINN-L's number formats (hw_config.h and the r_model_fw_bw.hpp typedefs)
typedef ap_fixed<ABITS, 1, AP_RND_ZERO, AP_WRAP> bilstm_pix_t;   // t_fixed_image
typedef ap_fixed<ABITS, 1, AP_RND_CONV, AP_SAT> bilstm_act_t;    // t_fixed_recurrent (h)
typedef ap_fixed<16, 8, AP_RND_CONV, AP_WRAP> bilstm_score_t;    // t_fixed_sum_fc
typedef ap_uint<8> bilstm_label_t;

// One call runs one sequence of len (1..MAXLEN) columns x[t][pixel].
//   beats[s][j]        = h_fw(column s)[j], beats[s][HIDDEN + j] = h_bw(column len-1-s)[j]
//   scores[c][k]       = output-layer score of class k of FINN-L's Concatenator column c
//   labels[0..n-1]     = FinalLabeling's labels, labels[n-1] = CLASSES (terminator)
void bilstm_top(const bilstm_pix_t x[MAXLEN][INPUT], int len,
                bilstm_act_t beats[MAXLEN][2 * HIDDEN],
                bilstm_score_t scores[MAXLEN][CLASSES],
                bilstm_label_t labels[MAXLEN + 1], int *nlabels);

#ifndef __SYNTHESIS__
#include <string>
// C-simulation only: load (no header) or check (header) the ROMs against the hex files
// bilstm_{wx,wh,bias,sigmoid,tanh,wfc,bfc}.hex in the working directory.
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
