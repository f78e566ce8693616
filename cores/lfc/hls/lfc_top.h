// BNN-PYNQ's LFC (lfcW1A1 / lfcW1A2) as one HLS top: binarized pixels in, four MVAU layers
// (cores/mvau/hls/mvau.hpp, mvau_batch) in a dataflow with a width converter from each layer's
// PE outputs to the next layer's SIMD inputs, one thresholded bit per class out.  The same
// network, folding and stream layout as rtl/lfc.v and fpgaflow/models/lfc.py; the parameters
// are the core's, as -D macros (full size: -DIN=832 -DHID=1024 -DOUT=64 -DL0_PE=32
// -DL0_SIMD=64 -DL1_PE=64 -DL1_SIMD=32 -DL2_PE=32 -DL2_SIMD=64 -DL3_PE=16 -DL3_SIMD=8).
//   ABITS 1 (lfcW1A1): XNOR popcount in every layer, one threshold, binary activations.
//   ABITS 2 (lfcW1A2): binary weights times binary pixels (layer 0) or signed 2-bit activations;
//     hidden layers two thresholds and bias -1 (-1/0/+1), the last layer one threshold.
// 16-bit accumulators (ACCW), thresholds counted as t < acc.
#ifndef FPGAFLOW_LFC_TOP_H
#define FPGAFLOW_LFC_TOP_H

// the widest ROM word of the full LFC is 2,048 bits (layer 1: 64 PE x 32 SIMD weights, and in
// lfcW1A2 64 PE x 2 thresholds x 16 bits): past ap_int's default limit of 1,024
#ifndef AP_INT_MAX_W
#define AP_INT_MAX_W 4096
#endif

#include "mvau.hpp"
#include "stream.hpp"

#ifndef IN
#define IN 64
#endif
#ifndef HID
#define HID 32
#endif
#ifndef OUT
#define OUT 16
#endif
#ifndef ABITS
#define ABITS 1
#endif
#ifndef ACCW
#define ACCW 16
#endif
#ifndef L0_PE
#define L0_PE 8
#endif
#ifndef L0_SIMD
#define L0_SIMD 16
#endif
#ifndef L1_PE
#define L1_PE 16
#endif
#ifndef L1_SIMD
#define L1_SIMD 8
#endif
#ifndef L2_PE
#define L2_PE 8
#endif
#ifndef L2_SIMD
#define L2_SIMD 8
#endif
#ifndef L3_PE
#define L3_PE 2
#endif
#ifndef L3_SIMD
#define L3_SIMD 16
#endif

namespace lfc {
static const bool A2 = ABITS == 2;
static const unsigned XN = A2 ? 0 : 1;   // Recast<XnorMul> (W1A1) or Binary products (W1A2)
static const unsigned HT = A2 ? 2 : 1;   // thresholds of a hidden layer
static const int HB = A2 ? -1 : 0;       // their bias (ActVal)
static const unsigned HA = A2 ? 1 : 2;   // hidden activations: signed (A2) or bipolar bits
// MvauCfg<MW, MH, PE, SIMD, WBITS, ABITS, ATYPE, XNOR, ACCW, ACT, NTHR, OBIAS, OBITS, SCALEW, SHIFT>
typedef fpgaflow::MvauCfg<IN, HID, L0_PE, L0_SIMD, 1, 1, 2, XN, ACCW, 0, HT, HB, ABITS, 8, 8> L0;
typedef fpgaflow::MvauCfg<HID, HID, L1_PE, L1_SIMD, 1, ABITS, HA, XN, ACCW, 0, HT, HB, ABITS, 8, 8> L1;
typedef fpgaflow::MvauCfg<HID, HID, L2_PE, L2_SIMD, 1, ABITS, HA, XN, ACCW, 0, HT, HB, ABITS, 8, 8> L2;
typedef fpgaflow::MvauCfg<HID, OUT, L3_PE, L3_SIMD, 1, ABITS, HA, XN, ACCW, 0, 1, 0, 1, 8, 8> L3;
}  // namespace lfc

typedef ap_uint<lfc::L0::IW> lfc_in_t;                 // L0_SIMD pixel bits
typedef ap_uint<L3_PE> lfc_out_t;                       // L3_PE class bits
typedef ap_uint<lfc::L0::WW> lfc_w0_t;
typedef ap_uint<lfc::L1::WW> lfc_w1_t;
typedef ap_uint<lfc::L2::WW> lfc_w2_t;
typedef ap_uint<lfc::L3::WW> lfc_w3_t;
typedef ap_uint<lfc::L0::TW> lfc_t0_t;
typedef ap_uint<lfc::L1::TW> lfc_t1_t;
typedef ap_uint<lfc::L2::TW> lfc_t2_t;
typedef ap_uint<lfc::L3::TW> lfc_t3_t;

// reps images: IN/L0_SIMD beats each in, OUT/L3_PE beats each out.  Layer i's weights: word
// nf*SF+sf holds PE*SIMD weights, its thresholds word nf PE*NTHR ACCW-bit thresholds (the
// l<i>_weights.hex / l<i>_thresh.hex files of the RTL core).
void lfc_top(hls::stream<lfc_in_t> &in, hls::stream<lfc_out_t> &out,
             const lfc_w0_t w0[lfc::L0::SF * lfc::L0::NF], const lfc_t0_t t0[lfc::L0::NF],
             const lfc_w1_t w1[lfc::L1::SF * lfc::L1::NF], const lfc_t1_t t1[lfc::L1::NF],
             const lfc_w2_t w2[lfc::L2::SF * lfc::L2::NF], const lfc_t2_t t2[lfc::L2::NF],
             const lfc_w3_t w3[lfc::L3::SF * lfc::L3::NF], const lfc_t3_t t3[lfc::L3::NF],
             unsigned reps);
#endif
