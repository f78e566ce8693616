// HLS top function of the LFC core (synthesis top: lfc_top), see lfc_top.h.  A dataflow of the
// four layers and the three width converters between them; each stream between two processes
// holds two of the consumer's input vectors (as the RTL core's FIFOs).
#include "lfc_top.h"

namespace {
template <class P, class C>
void link(hls::stream<ap_uint<P::pe * P::OW> > &in, hls::stream<ap_uint<C::IW> > &out, unsigned reps) {
    // one item is P's MH outputs of OW bits: MH/PE words of the producer
    fpgaflow::dwc<P::pe * P::OW, C::IW>(in, out, P::NF, reps);
}
}  // namespace

void lfc_top(hls::stream<lfc_in_t> &in, hls::stream<lfc_out_t> &out,
             const lfc_w0_t w0[lfc::L0::SF * lfc::L0::NF], const lfc_t0_t t0[lfc::L0::NF],
             const lfc_w1_t w1[lfc::L1::SF * lfc::L1::NF], const lfc_t1_t t1[lfc::L1::NF],
             const lfc_w2_t w2[lfc::L2::SF * lfc::L2::NF], const lfc_t2_t t2[lfc::L2::NF],
             const lfc_w3_t w3[lfc::L3::SF * lfc::L3::NF], const lfc_t3_t t3[lfc::L3::NF],
             unsigned reps) {
#pragma HLS INTERFACE axis port = in
#pragma HLS INTERFACE axis port = out
#pragma HLS INTERFACE bram port = w0
#pragma HLS INTERFACE bram port = t0
#pragma HLS INTERFACE bram port = w1
#pragma HLS INTERFACE bram port = t1
#pragma HLS INTERFACE bram port = w2
#pragma HLS INTERFACE bram port = t2
#pragma HLS INTERFACE bram port = w3
#pragma HLS INTERFACE bram port = t3
#pragma HLS INTERFACE s_axilite port = reps
#pragma HLS INTERFACE ap_ctrl_hs port = return
#pragma HLS DATAFLOW
    using namespace lfc;
    hls::stream<ap_uint<L0::pe * L0::OW> > m0("m0");
    hls::stream<ap_uint<L1::IW> > c0("c0");
    hls::stream<ap_uint<L1::pe * L1::OW> > m1("m1");
    hls::stream<ap_uint<L2::IW> > c1("c1");
    hls::stream<ap_uint<L2::pe * L2::OW> > m2("m2");
    hls::stream<ap_uint<L3::IW> > c2("c2");
#pragma HLS STREAM variable = c0 depth = 2 * L1::SF
#pragma HLS STREAM variable = c1 depth = 2 * L2::SF
#pragma HLS STREAM variable = c2 depth = 2 * L3::SF
    fpgaflow::mvau_batch<L0>(in, m0, w0, t0, reps);
    link<L0, L1>(m0, c0, reps);
    fpgaflow::mvau_batch<L1>(c0, m1, w1, t1, reps);
    link<L1, L2>(m1, c1, reps);
    fpgaflow::mvau_batch<L2>(c1, m2, w2, t2, reps);
    link<L2, L3>(m2, c2, reps);
    fpgaflow::mvau_batch<L3>(c2, out, w3, t3, reps);
}
