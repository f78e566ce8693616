/* $tvpi_scale(x): x * TVPI_FACTOR, computed through libm's floor() (so -lm must be linked) */
#include <math.h>
#include <vpi_user.h>
#include "tvpi_scale.h"

static PLI_INT32 scale_calltf(PLI_BYTE8 *unused)
{
    (void)unused;
    vpiHandle call = vpi_handle(vpiSysTfCall, NULL);
    vpiHandle args = vpi_iterate(vpiArgument, call);
    vpiHandle arg = vpi_scan(args);
    s_vpi_value v;
    v.format = vpiIntVal;
    vpi_get_value(arg, &v);
    vpi_free_object(args);
    v.value.integer = (PLI_INT32)floor((double)v.value.integer * TVPI_FACTOR + 0.25);
    vpi_put_value(call, &v, NULL, vpiNoDelay);
    return 0;
}

static PLI_INT32 scale_sizetf(PLI_BYTE8 *unused)
{
    (void)unused;
    return 32;
}

static void tvpi_register(void)
{
    s_vpi_systf_data tf = {vpiSysFunc, vpiIntFunc, "$tvpi_scale", scale_calltf, NULL,
                           scale_sizetf, NULL};
    vpi_register_systf(&tf);
}

void (*vlog_startup_routines[])(void) = {tvpi_register, 0};
