// HLS top function of the MVAU core (synthesis top: mvau_top).
#include "mvau_top.h"

void mvau_top(hls::stream<in_t> &in, hls::stream<out_t> &out, const weight_t weights[Cfg::SF * Cfg::NF],
              const thresh_t thresholds[Cfg::NF], unsigned reps) {
#pragma HLS INTERFACE axis port = in
#pragma HLS INTERFACE axis port = out
#pragma HLS INTERFACE bram port = weights
#pragma HLS INTERFACE bram port = thresholds
#pragma HLS INTERFACE s_axilite port = reps
#pragma HLS INTERFACE ap_ctrl_hs port = return
    fpgaflow::mvau_batch<Cfg>(in, out, weights, thresholds, reps);
}
