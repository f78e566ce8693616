// Stream plumbing between MVAU layers in HLS C++: a width converter and the hex/line readers the
// C-simulation testbenches share.
//   dwc<IW, OW>(in, out, words, reps): `words` IW-bit words per item in, the same bits out as
//   OW-bit words; one of IW, OW divides the other.  Lanes keep their order: a wide word splits
//   low bits first, narrow words fill a wide one from bit 0 up (the flat vector, element i at bit
//   i*bits, is the same on both sides; the layout of rtl/stream_dwc.v in cores/common).
#ifndef FPGAFLOW_STREAM_HPP
#define FPGAFLOW_STREAM_HPP

#include <ap_int.h>
#include <hls_stream.h>

namespace fpgaflow {

template <unsigned IW, unsigned OW>
void dwc(hls::stream<ap_uint<IW> > &in, hls::stream<ap_uint<OW> > &out, unsigned words, unsigned reps) {
    static_assert(IW % OW == 0 || OW % IW == 0, "one width must divide the other");
    if (IW == OW) {
        for (unsigned i = 0; i < words * reps; i++) {
#pragma HLS PIPELINE II = 1
            out.write(in.read());
        }
    } else if (IW > OW) {
        const unsigned K = IW / OW;
        ap_uint<IW> buf = 0;
        for (unsigned i = 0; i < words * reps * K; i++) {
#pragma HLS PIPELINE II = 1
            const unsigned k = i % K;
            if (k == 0) buf = in.read();
            out.write(ap_uint<OW>(buf.range(OW * k + OW - 1, OW * k)));
        }
    } else {
        const unsigned K = OW / IW;
        ap_uint<OW> buf = 0;
        for (unsigned i = 0; i < words * reps; i++) {
#pragma HLS PIPELINE II = 1
            const unsigned k = i % K;
            buf.range(IW * k + IW - 1, IW * k) = in.read();
            if (k == K - 1) out.write(buf);
        }
    }
}

}  // namespace fpgaflow
#endif
