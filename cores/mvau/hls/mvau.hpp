// Binarized matrix-vector-threshold unit (FINN MVAU semantics) in HLS C++ (Vivado/Vitis HLS).
// Same contract as rtl/mvau.v and fpgaflow/models/mvau.py: weights bit 1 = +1, 0 = -1; ABITS == 1
// -> XNOR popcount, ABITS > 1 -> sum(w ? a : -a) over unsigned activations; NOACT == 0 -> count of
// thresholds t with acc >= t (OBITS bits), NOACT == 1 -> the ACCW-bit accumulator.
// Weight word nf*SF+sf holds PE*SIMD bits (bit pe*SIMD+s), threshold word nf holds PE*NTHR
// ACCW-bit thresholds (slice (pe*NTHR+t)*ACCW): the layout of weights.hex / thresh.hex.
#ifndef FPGAFLOW_MVAU_HPP
#define FPGAFLOW_MVAU_HPP

#include <ap_int.h>
#include <hls_stream.h>

namespace fpgaflow {

constexpr unsigned clog2(unsigned long n) { return n <= 1 ? 0 : 1 + clog2((n + 1) / 2); }

template <unsigned MW_, unsigned MH_, unsigned PE_, unsigned SIMD_, unsigned ABITS_,
          unsigned OBITS_, unsigned NOACT_>
struct MvauCfg {
    static const unsigned SF = MW_ / SIMD_;
    static const unsigned NF = MH_ / PE_;
    static const unsigned AMAX = (1u << ABITS_) - 1;
    static const unsigned ACCW = clog2((unsigned long)MW_ * AMAX + 1) + 1;
    static const unsigned PW = clog2((unsigned long)SIMD_ * AMAX + 1) + 1;
    static const unsigned NTHR = (1u << OBITS_) - 1;
    static const unsigned OW = NOACT_ ? ACCW : OBITS_;
    static const unsigned IW = SIMD_ * ABITS_;
    static const unsigned WW = PE_ * SIMD_;
    static const unsigned TW = PE_ * NTHR * ACCW;
};

template <unsigned MW_, unsigned MH_, unsigned PE_, unsigned SIMD_, unsigned ABITS_,
          unsigned OBITS_, unsigned NOACT_>
void mvau_batch(
    hls::stream<ap_uint<MvauCfg<MW_, MH_, PE_, SIMD_, ABITS_, OBITS_, NOACT_>::IW> > &in,
    hls::stream<ap_uint<PE_ * MvauCfg<MW_, MH_, PE_, SIMD_, ABITS_, OBITS_, NOACT_>::OW> > &out,
    const ap_uint<PE_ * SIMD_> weights[MvauCfg<MW_, MH_, PE_, SIMD_, ABITS_, OBITS_, NOACT_>::SF *
                                       MvauCfg<MW_, MH_, PE_, SIMD_, ABITS_, OBITS_, NOACT_>::NF],
    const ap_uint<MvauCfg<MW_, MH_, PE_, SIMD_, ABITS_, OBITS_, NOACT_>::TW>
        thresholds[MvauCfg<MW_, MH_, PE_, SIMD_, ABITS_, OBITS_, NOACT_>::NF],
    unsigned reps) {
    typedef MvauCfg<MW_, MH_, PE_, SIMD_, ABITS_, OBITS_, NOACT_> C;
    ap_uint<C::IW> ibuf[C::SF];
    ap_int<C::ACCW> acc[PE_];
#pragma HLS ARRAY_PARTITION variable = acc complete dim = 1
    unsigned sf = 0, nf = 0;
    const unsigned total = reps * C::SF * C::NF;
    for (unsigned i = 0; i < total; i++) {
#pragma HLS PIPELINE II = 1
        ap_uint<C::IW> a;
        if (nf == 0) {
            a = in.read();
            ibuf[sf] = a;
        } else {
            a = ibuf[sf];
        }
        const ap_uint<PE_ * SIMD_> w = weights[nf * C::SF + sf];
        const ap_uint<C::TW> thr = thresholds[nf];
        ap_uint<PE_ * C::OW> o = 0;
        for (unsigned pe = 0; pe < PE_; pe++) {
#pragma HLS UNROLL
            ap_int<C::PW> part = 0;
            for (unsigned s = 0; s < SIMD_; s++) {
#pragma HLS UNROLL
                const bool wb = w[pe * SIMD_ + s];
                if (ABITS_ == 1) {
                    part += (wb == (bool)a[s]) ? 1 : 0;  // XNOR popcount
                } else {
                    const ap_int<ABITS_ + 1> x = (ap_uint<ABITS_>)a.range(s * ABITS_ + ABITS_ - 1, s * ABITS_);
                    part += wb ? (ap_int<C::PW>)x : (ap_int<C::PW>)(-x);
                }
            }
            const ap_int<C::ACCW> next = (sf == 0) ? (ap_int<C::ACCW>)part : (ap_int<C::ACCW>)(acc[pe] + part);
            acc[pe] = next;
            ap_uint<C::OW> r;
            if (NOACT_) {
                r = (ap_uint<C::OW>)next;
            } else {
                r = 0;
                for (unsigned t = 0; t < C::NTHR; t++) {
#pragma HLS UNROLL
                    const ap_int<C::ACCW> th = (ap_int<C::ACCW>)thr.range((pe * C::NTHR + t) * C::ACCW + C::ACCW - 1,
                                                                     (pe * C::NTHR + t) * C::ACCW);
                    if (next >= th) r++;
                }
            }
            o.range(pe * C::OW + C::OW - 1, pe * C::OW) = r;
        }
        if (sf == C::SF - 1) {
            out.write(o);
            sf = 0;
            nf = (nf == C::NF - 1) ? 0 : nf + 1;
        } else {
            sf++;
        }
    }
}

}  // namespace fpgaflow
#endif
