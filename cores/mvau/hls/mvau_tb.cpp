// C-simulation testbench of mvau_top: reads weights.hex, thresh.hex, in.txt and exp.txt (written by
// `python -m fpgaflow.models.mvau vectors .`) from the current directory and prints
//   FPGAFLOW_SIM vectors=<N> mismatches=<M>
#include <cstdio>
#include <string>
#include <vector>

#include "mvau_top.h"
#include "tb_io.hpp"

using fpgaflow::parse_hex;
using fpgaflow::read_lines;

int main() {
    static weight_t weights[Cfg::SF * Cfg::NF];
    static thresh_t thresholds[Cfg::NF];
    std::vector<std::string> wl = read_lines("weights.hex"), tl = read_lines("thresh.hex"),
                             il = read_lines("in.txt"), el = read_lines("exp.txt");
    if (wl.size() != Cfg::SF * Cfg::NF || tl.size() != Cfg::NF || il.empty()) {
        std::printf("FPGAFLOW_SIM vectors=0 mismatches=1\n");
        std::printf("error: vector files missing or of the wrong geometry\n");
        return 1;
    }
    for (unsigned i = 0; i < Cfg::SF * Cfg::NF; i++) weights[i] = parse_hex<Cfg::WW>(wl[i]);
    for (unsigned i = 0; i < Cfg::NF; i++) thresholds[i] = parse_hex<Cfg::TW>(tl[i]);
    const unsigned nvec = std::stoul(il[0]);
    hls::stream<in_t> in("in");
    hls::stream<out_t> out("out");
    for (unsigned i = 1; i < il.size(); i++) in.write(parse_hex<Cfg::IW>(il[i]));
    mvau_top(in, out, weights, thresholds, nvec);
    unsigned mismatches = 0, beats = 0;
    while (!out.empty()) {
        const out_t got = out.read();
        const out_t expv = beats < el.size() ? parse_hex<PE * Cfg::OW>(el[beats]) : out_t(0);
        for (unsigned p = 0; p < PE; p++) {
            if (got.range(p * Cfg::OW + Cfg::OW - 1, p * Cfg::OW) != expv.range(p * Cfg::OW + Cfg::OW - 1, p * Cfg::OW)) {
                if (++mismatches <= 10)
                    std::printf("mismatch beat %u pe %u: got %s expected %s\n", beats, p,
                                got.range(p * Cfg::OW + Cfg::OW - 1, p * Cfg::OW).to_string(16).c_str(),
                                expv.range(p * Cfg::OW + Cfg::OW - 1, p * Cfg::OW).to_string(16).c_str());
            }
        }
        beats++;
    }
    if (beats != el.size()) mismatches += 1 + (beats > el.size() ? beats - el.size() : el.size() - beats);
    std::printf("FPGAFLOW_SIM vectors=%u mismatches=%u\n", beats / Cfg::NF, mismatches);
    return mismatches ? 1 : 0;
}
