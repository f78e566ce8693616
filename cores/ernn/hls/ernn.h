// E-RNN block-circulant LSTM/GRU layer for Vivado/Vitis HLS. Same arithmetic, parameters and
// schedule as the RTL core and the bit-exact model fpgaflow/models/ernn.py (its docstring
// defines the formats and the FFT datapath exactly). Parameters are -D macros with the RTL
// names; the ROMs, tables and twiddles come from ernn_params.h, which
// `python3 -m fpgaflow.models.ernn vectors DIR` writes into DIR (compile with -IDIR); it
// must have been generated for the same parameters (checked at compile time).
#ifndef ERNN_H
#define ERNN_H
#include <ap_int.h>
#ifndef INPUT
#define INPUT 32
#endif
#ifndef HIDDEN
#define HIDDEN 32
#endif
#ifndef K
#define K 8
#endif
#ifndef CELL
#define CELL 0
#endif
#ifndef FFT
#define FFT 0
#endif
#ifndef WBITS
#define WBITS 8
#endif
#ifndef ABITS
#define ABITS 8
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
#ifndef TBITS
#define TBITS 16
#endif
#ifndef XFRAC
#define XFRAC 4
#endif
#ifndef SFRAC
#define SFRAC 4
#endif
#ifndef SEQLEN
#define SEQLEN 8
#endif
#define ERNN_MAXLEN 1024
typedef ap_int<ABITS> ernn_act_t;  // x and h: s[ABITS].[ABITS-1]
// One call runs one sequence of len (1..ERNN_MAXLEN) steps x[t][j] from h = c = 0 and
// writes h[t][j].
void ernn_top(const ernn_act_t x[ERNN_MAXLEN][INPUT], int len, ernn_act_t y[ERNN_MAXLEN][HIDDEN]);
#endif
