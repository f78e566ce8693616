// Top-level configuration of the MVAU HLS core: the same parameter names as the RTL vlogparams,
// set with -D (e.g. -DMW=832 -DMH=1024 -DPE=32 -DSIMD=64).
#ifndef FPGAFLOW_MVAU_TOP_H
#define FPGAFLOW_MVAU_TOP_H
#include "mvau.hpp"

#ifndef MW
#define MW 32
#endif
#ifndef MH
#define MH 16
#endif
#ifndef PE
#define PE 4
#endif
#ifndef SIMD
#define SIMD 8
#endif
#ifndef WBITS
#define WBITS 1
#endif
#ifndef ABITS
#define ABITS 1
#endif
#ifndef ATYPE
#define ATYPE 2
#endif
#ifndef XNOR
#define XNOR 1
#endif
#ifndef ACCW
#define ACCW 0
#endif
#ifndef ACT
#define ACT 0
#endif
#ifndef NTHR
#define NTHR 1
#endif
#ifndef OBIAS
#define OBIAS 0
#endif
#ifndef OBITS
#define OBITS 1
#endif
#ifndef SCALEW
#define SCALEW 8
#endif
#ifndef SHIFT
#define SHIFT 8
#endif

typedef fpgaflow::MvauCfg<MW, MH, PE, SIMD, WBITS, ABITS, ATYPE, XNOR, ACCW, ACT, NTHR, OBIAS, OBITS, SCALEW, SHIFT> Cfg;
typedef ap_uint<Cfg::IW> in_t;
typedef ap_uint<PE * Cfg::OW> out_t;
typedef ap_uint<Cfg::WW> weight_t;
typedef ap_uint<Cfg::TW> thresh_t;

void mvau_top(hls::stream<in_t> &in, hls::stream<out_t> &out, const weight_t weights[Cfg::SF * Cfg::NF],
              const thresh_t thresholds[Cfg::NF], unsigned reps);
#endif
