// included as `include "tsoc/tsoc_defs.vh"`: found only through the include dir include/
`define TSOC_ROM_DEPTH 16
