// the increment the C++ main expects the counter to be built with
#define TCPP_STEP 3
