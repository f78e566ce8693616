// C-simulation testbench of lfc_top: reads l<i>_weights.hex, l<i>_thresh.hex (i = 0..3), in.txt
// and exp.txt (written by `python -m fpgaflow.models.lfc vectors .`) from the current directory,
// streams every image through the whole network and prints
//   FPGAFLOW_SIM vectors=<N> mismatches=<M>
// (M counts wrong class bits, plus missing or extra beats).
#include <cstdio>
#include <string>
#include <vector>

#include "lfc_top.h"
#include "tb_io.hpp"

using fpgaflow::parse_hex;
using fpgaflow::read_lines;
using fpgaflow::read_rom;

static lfc_w0_t w0[lfc::L0::SF * lfc::L0::NF];
static lfc_t0_t t0[lfc::L0::NF];
static lfc_w1_t w1[lfc::L1::SF * lfc::L1::NF];
static lfc_t1_t t1[lfc::L1::NF];
static lfc_w2_t w2[lfc::L2::SF * lfc::L2::NF];
static lfc_t2_t t2[lfc::L2::NF];
static lfc_w3_t w3[lfc::L3::SF * lfc::L3::NF];
static lfc_t3_t t3[lfc::L3::NF];

int main() {
    using namespace lfc;
    const bool roms =
        read_rom("l0_weights.hex", w0, L0::SF * L0::NF) && read_rom("l0_thresh.hex", t0, L0::NF) &&
        read_rom("l1_weights.hex", w1, L1::SF * L1::NF) && read_rom("l1_thresh.hex", t1, L1::NF) &&
        read_rom("l2_weights.hex", w2, L2::SF * L2::NF) && read_rom("l2_thresh.hex", t2, L2::NF) &&
        read_rom("l3_weights.hex", w3, L3::SF * L3::NF) && read_rom("l3_thresh.hex", t3, L3::NF);
    const std::vector<std::string> il = read_lines("in.txt"), el = read_lines("exp.txt");
    if (!roms || il.empty() || il.size() != 1 + std::stoul(il[0]) * L0::SF) {
        std::printf("FPGAFLOW_SIM vectors=0 mismatches=1\n");
        std::printf("error: ROM or vector files missing or of the wrong geometry\n");
        return 1;
    }
    const unsigned nvec = std::stoul(il[0]);
    hls::stream<lfc_in_t> in("in");
    hls::stream<lfc_out_t> out("out");
    for (unsigned i = 1; i < il.size(); i++) in.write(parse_hex<L0::IW>(il[i]));
    lfc_top(in, out, w0, t0, w1, t1, w2, t2, w3, t3, nvec);
    unsigned mismatches = 0, beats = 0;
    while (!out.empty()) {
        const lfc_out_t got = out.read();
        const lfc_out_t expv = beats < el.size() ? parse_hex<L3_PE>(el[beats]) : lfc_out_t(0);
        for (unsigned p = 0; p < L3_PE; p++) {
            if (got[p] != expv[p] && ++mismatches <= 10)
                std::printf("mismatch image %u class %u: got %d expected %d\n", beats / L3::NF,
                            (beats % L3::NF) * L3_PE + p, (int)got[p], (int)expv[p]);
        }
        beats++;
    }
    if (beats != el.size()) mismatches += 1 + (beats > el.size() ? beats - el.size() : el.size() - beats);
    if (!in.empty()) mismatches++;                      // input the network did not consume
    std::printf("FPGAFLOW_SIM vectors=%u mismatches=%u\n", beats / L3::NF, mismatches);
    return mismatches ? 1 : 0;
}
