// Matrix-vector-activation unit (FINN MVAU) in HLS C++ (Vivado/Vitis HLS).  Same contract as
// rtl/mvau.v and fpgaflow/models/mvau.py: WBITS == 1 -> weight bit 1 = +1, 0 = -1, WBITS > 1 ->
// two's complement; ATYPE 0 unsigned, 1 signed, 2 bipolar activations; XNOR == 1 -> popcount of
// w == a; ACCW-bit wrapping accumulator; ACT 0 -> OBIAS + #{t < acc} over NTHR thresholds, ACT 1 ->
// the accumulator, ACT 2 -> clip((acc * scale + 2^(SHIFT-1)) >> SHIFT, 0, 2^OBITS - 1).
// Weight word nf*SF+sf holds PE*SIMD weights (weight (pe, s) at bit (pe*SIMD+s)*WBITS); word nf of
// the parameter ROM holds PE*NTHR ACCW-bit thresholds (slice (pe*NTHR+t)*ACCW) or PE SCALEW-bit
// scales: the layout of weights.hex / thresh.hex.
#ifndef FPGAFLOW_MVAU_HPP
#define FPGAFLOW_MVAU_HPP

#include <ap_int.h>
#include <hls_stream.h>

namespace fpgaflow {

constexpr unsigned clog2(unsigned long n) { return n <= 1 ? 0 : 1 + clog2((n + 1) / 2); }

template <unsigned MW_, unsigned MH_, unsigned PE_, unsigned SIMD_, unsigned WBITS_, unsigned ABITS_,
          unsigned ATYPE_, unsigned XNOR_, unsigned ACCW_, unsigned ACT_, unsigned NTHR_, int OBIAS_,
          unsigned OBITS_, unsigned SCALEW_, unsigned SHIFT_>
struct MvauCfg {
    // lower-case members: the upper-case names are the top level's -D macros
    static const unsigned mw = MW_, mh = MH_, pe = PE_, simd = SIMD_, wbits = WBITS_, abits = ABITS_;
    static const unsigned atype = ATYPE_, xnor = XNOR_, act = ACT_, nthr = NTHR_, obits = OBITS_;
    static const int obias = OBIAS_;
    static const unsigned scalew = SCALEW_, shift = SHIFT_;
    static const unsigned SF = MW_ / SIMD_;
    static const unsigned NF = MH_ / PE_;
    static const unsigned long WMAX = WBITS_ == 1 ? 1 : (1ul << (WBITS_ - 1));
    static const unsigned long AMAX = ATYPE_ == 0 ? (1ul << ABITS_) - 1 : ATYPE_ == 1 ? (1ul << (ABITS_ - 1)) : 1;
    static const unsigned accw = ACCW_ ? ACCW_ : clog2((unsigned long)MW_ * WMAX * AMAX + 1) + 1;
    static const unsigned OW = ACT_ == 1 ? accw : OBITS_;
    static const unsigned IW = SIMD_ * ABITS_;
    static const unsigned WW = PE_ * SIMD_ * WBITS_;
    static const unsigned TW = ACT_ == 0 ? PE_ * NTHR_ * accw : ACT_ == 2 ? PE_ * SCALEW_ : 1;
};

template <class C>
inline int act_value(ap_uint<C::abits> code) {
    if (C::atype == 2) return code[0] ? 1 : -1;
    if (C::atype == 1) return (int)(ap_int<C::abits>)code;
    return (int)code;
}

template <class C>
inline int weight_value(ap_uint<C::wbits> code) {
    if (C::wbits == 1) return code[0] ? 1 : -1;
    return (int)(ap_int<C::wbits>)code;
}

template <class C>
void mvau_batch(hls::stream<ap_uint<C::IW> > &in, hls::stream<ap_uint<C::pe * C::OW> > &out,
                const ap_uint<C::WW> weights[C::SF * C::NF], const ap_uint<C::TW> params[C::NF],
                unsigned reps) {
    ap_uint<C::IW> ibuf[C::SF];
    ap_int<C::accw> acc[C::pe];
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
        const ap_uint<C::WW> w = weights[nf * C::SF + sf];
        const ap_uint<C::TW> prm = params[nf];
        ap_uint<C::pe * C::OW> o = 0;
        for (unsigned pe = 0; pe < C::pe; pe++) {
#pragma HLS UNROLL
            ap_int<C::accw> next = (sf == 0) ? ap_int<C::accw>(0) : acc[pe];
            for (unsigned s = 0; s < C::simd; s++) {
#pragma HLS UNROLL
                const ap_uint<C::wbits> wc = w.range((pe * C::simd + s) * C::wbits + C::wbits - 1,
                                                     (pe * C::simd + s) * C::wbits);
                const ap_uint<C::abits> ac = a.range(s * C::abits + C::abits - 1, s * C::abits);
                if (C::xnor)
                    next += (wc[0] == ac[0]) ? 1 : 0;                 // XnorMul
                else
                    next += weight_value<C>(wc) * act_value<C>(ac);   // wraps like ap_int<ACCW>
            }
            acc[pe] = next;
            ap_uint<C::OW> r;
            if (C::act == 1) {
                r = (ap_uint<C::OW>)next;
            } else if (C::act == 2) {
                const long s = (long)(ap_uint<C::scalew>)prm.range(pe * C::scalew + C::scalew - 1, pe * C::scalew);
                long q = ((long)next * s + (1l << (C::shift - 1))) >> C::shift;
                const long top = (1l << C::obits) - 1;
                r = (ap_uint<C::OW>)(q < 0 ? 0 : q > top ? top : q);
            } else {
                ap_int<C::obits + 1> v = C::obias;
                for (unsigned t = 0; t < C::nthr; t++) {
#pragma HLS UNROLL
                    const ap_int<C::accw> th = (ap_int<C::accw>)prm.range((pe * C::nthr + t) * C::accw + C::accw - 1,
                                                                       (pe * C::nthr + t) * C::accw);
                    if (th < next) v++;                               // std::less<TA>(t, acc)
                }
                r = (ap_uint<C::OW>)v;
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
