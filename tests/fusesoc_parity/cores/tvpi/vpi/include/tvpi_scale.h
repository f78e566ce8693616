/* the factor the C function multiplies by; the testbench expects 3 */
#define TVPI_FACTOR 3
