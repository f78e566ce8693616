// C-simulation testbench helpers (not synthesized): the hex ROM files and stream vector files the
// models write (fpgaflow/models/mvau.py, lfc.py), one value a line.
#ifndef FPGAFLOW_TB_IO_HPP
#define FPGAFLOW_TB_IO_HPP

#include <fstream>
#include <string>
#include <vector>

#include <ap_int.h>

namespace fpgaflow {

template <int W>
ap_uint<W> parse_hex(const std::string &s) {
    ap_uint<W> v = 0;
    for (size_t i = 0; i < s.size(); i++) {
        const char c = s[i];
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else continue;
        v = (v << 4) | ap_uint<W>(d);
    }
    return v;
}

inline std::vector<std::string> read_lines(const std::string &path) {
    std::ifstream f(path.c_str());
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(f, line))
        if (!line.empty()) lines.push_back(line);
    return lines;
}

// Fill rom[0..n) from a hex file of exactly n lines; false (and rom untouched) otherwise.
template <int W>
bool read_rom(const std::string &path, ap_uint<W> *rom, unsigned n) {
    const std::vector<std::string> l = read_lines(path);
    if (l.size() != n) return false;
    for (unsigned i = 0; i < n; i++) rom[i] = parse_hex<W>(l[i]);
    return true;
}

}  // namespace fpgaflow
#endif
