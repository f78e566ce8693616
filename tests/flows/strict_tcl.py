"""Strict stubs of the vendor Tcl commands fpgaflow's scripts use, for ``tcl_check``.

Each stub knows the command's options (with and without a value), how many positional
arguments it takes, and for ``set_property``/``get_property``/``set_*_assignment`` the
property names; anything else (an unknown command, option or property) is an error. The
lists are the documented ones (Vivado UG835, Quartus Tcl API and QSF reference, Vitis HLS
UG1399) for what the scripts call, not every option a tool has: a new option used by a
template must be added here, on purpose.
"""

from __future__ import annotations

CORE = r"""
rename unknown _tcl_unknown
proc unknown {args} { error "unknown command '[lindex $args 0]'" }
proc exit {{code 0}} { set ::fpgaflow_exit $code; return -code return }
set ::fpgaflow_exit 0
proc strict {name values flags minpos maxpos {check ""}} {
    proc $name args "[list strict_args $name $values $flags $minpos $maxpos $check] \$args"
}
proc strict_args {name values flags minpos maxpos check argv} {
    set pos {}
    array set opt {}
    for {set i 0} {$i < [llength $argv]} {incr i} {
        set a [lindex $argv $i]
        if {[string match -* $a] && ![string is double -strict $a]} {
            if {$a in $values} {
                incr i
                if {$i >= [llength $argv]} { error "$name: option $a needs a value" }
                set opt($a) [lindex $argv $i]
            } elseif {$a in $flags} {
                set opt($a) 1
            } else {
                error "$name: unknown option '$a'"
            }
        } else {
            lappend pos $a
        }
    }
    if {[llength $pos] < $minpos || ($maxpos >= 0 && [llength $pos] > $maxpos)} {
        error "$name: [llength $pos] positional arguments ($pos), expected $minpos..$maxpos"
    }
    if {$check ne ""} { return [$check $name [array get opt] $pos] }
    return "<$name>"
}
proc one_of {what value allowed} {
    foreach pattern $allowed { if {[string match $pattern $value]} { return } }
    error "unknown $what '$value'"
}
proc source {path} { return }
"""

VIVADO_PROPS = ["part", "generic", "include_dirs", "top", "source_mgmt_mode", "FILE_TYPE",
                "PROGRAM.FILE", "PARAM.FREQUENCY", "STEPS.*.TCL.POST", "STEPS.*.TCL.PRE",
                "STEPS.*.ARGS.*", "PACKAGE_PIN", "IOSTANDARD", "STATUS", "PROGRESS",
                "NEEDS_REFRESH", "DIRECTORY"]

VIVADO = CORE + r"""
set ::vivado_props {%s}
proc vivado_set_property {name opts pos} {
    array set o $opts
    if {[info exists o(-dict)]} {
        foreach {k v} $o(-dict) { one_of property $k $::vivado_props }
    } elseif {[info exists o(-name)]} {
        one_of property $o(-name) $::vivado_props
    } else {
        if {[llength $pos] != 3} { error "set_property: expected NAME VALUE OBJECTS, got $pos" }
        one_of property [lindex $pos 0] $::vivado_props
    }
}
proc vivado_get_property {name opts pos} {
    one_of property [lindex $pos 0] $::vivado_props
    return "route_design Complete!"
}
proc vivado_steps {name opts pos} {
    array set o $opts
    if {[info exists o(-to_step)]} {
        one_of step $o(-to_step) {synth_design opt_design power_opt_design place_design
            phys_opt_design route_design write_bitstream}
    }
}
strict create_project {-part} {-force -in_memory} 1 2
strict open_project {} {-read_only -quiet} 1 1
strict close_project {} {-delete} 0 0
strict current_project {} {-quiet} 0 1
strict current_fileset {} {-quiet -constrset -simset} 0 1
strict current_run {} {-quiet -synthesis -implementation} 0 1
strict get_runs {} {-quiet} 0 1
strict get_filesets {} {-quiet} 0 1
strict get_files {-of_objects} {-all -quiet} 0 1
strict get_ports {} {-quiet} 1 1
strict set_property {-name -value -objects -dict} {-quiet} 0 3 vivado_set_property
strict get_property {} {-quiet} 2 2 vivado_get_property
strict read_verilog {-library} {-sv -quiet} 1 -1
strict read_vhdl {-library} {-vhdl2008 -quiet} 1 -1
strict read_xdc {-ref -cells} {-unmanaged -quiet} 1 1
strict add_files {-fileset} {-norecurse -quiet} 1 -1
strict reset_run {} {} 1 1
strict reset_runs {} {} 1 -1
strict launch_runs {-to_step -jobs -next_step} {} 1 -1 vivado_steps
strict wait_on_run {-timeout} {} 1 1
strict open_run {-name} {} 1 1
strict write_edif {} {-force} 1 1
strict write_verilog {} {-force -mode} 1 1
strict report_utilization {-file -name -cells} {-hierarchical -append -quiet} 0 0
strict report_timing_summary {-file -max_paths -delay_type -name} {-report_unconstrained -append -warn_on_violation -quiet} 0 0
strict report_power {-file -name} {-append -quiet} 0 0
strict create_clock {-period -name -waveform} {-add} 0 1
""" % " ".join(VIVADO_PROPS)

# QSF assignment names fpgaflow and Edalize write
QSF_GLOBAL = ["FAMILY", "DEVICE", "TOP_LEVEL_ENTITY", "VERILOG_FILE", "SYSTEMVERILOG_FILE",
              "VHDL_FILE", "SDC_FILE", "QIP_FILE", "IP_FILE", "TCL_SCRIPT_FILE", "SEARCH_PATH",
              "PROJECT_OUTPUT_DIRECTORY", "SEED", "MIF_FILE", "HEX_FILE",
              "VERILOG_MACRO", "ORIGINAL_QUARTUS_VERSION", "LAST_QUARTUS_VERSION"]
QSF_INSTANCE = ["IO_STANDARD", "VIRTUAL_PIN", "CURRENT_STRENGTH_NEW", "WEAK_PULL_UP_RESISTOR"]

QUARTUS = CORE + r"""
set ::qsf_global {%s}
set ::qsf_instance {%s}
proc qsf_check {set name opts} {
    array set o $opts
    if {![info exists o(-name)]} { error "$name: -name is required" }
    one_of "assignment name" $o(-name) $set
}
proc qsf_global {name opts pos} { qsf_check $::qsf_global $name $opts }
proc qsf_instance {name opts pos} { qsf_check $::qsf_instance $name $opts }
strict project_new {-revision -family -part} {-overwrite} 1 1
strict set_global_assignment {-name -section_id -entity -tag} {-remove} 1 1 qsf_global
strict set_instance_assignment {-name -to -from -entity -section_id} {-remove} 1 1 qsf_instance
strict set_location_assignment {-to -entity} {-remove} 1 1
strict set_parameter {-name -entity -to} {-remove} 1 1
strict export_assignments {} {} 0 0
""" % (" ".join(QSF_GLOBAL), " ".join(QSF_INSTANCE))

SDC = CORE + r"""
strict create_clock {-period -name -waveform} {-add} 0 1
strict get_ports {} {-nowarn -nocase} 1 1
strict derive_clock_uncertainty {} {-overwrite -add} 0 0
strict derive_pll_clocks {} {-create_base_clocks} 0 0
"""

VITIS_HLS = CORE + r"""
proc hls_solution {name opts pos} {
    array set o $opts
    if {[info exists o(-flow_target)]} { one_of "flow target" $o(-flow_target) {vivado vitis} }
}
proc hls_export {name opts pos} {
    array set o $opts
    if {[info exists o(-format)]} { one_of format $o(-format) {ip_catalog xo syn_dcp sysgen} }
}
strict open_project {} {-reset} 1 1
strict set_top {} {} 1 1
strict add_files {-cflags -csimflags} {-tb -blackbox} 1 1
strict open_solution {-flow_target} {-reset} 1 1 hls_solution
strict set_part {} {-tool} 1 1
strict create_clock {-period -name} {} 0 0
strict csim_design {-argv -ldflags -mflags} {-O -clean -setup -profile} 0 0
strict csynth_design {} {-dump_cfg -synthesis_check} 0 0
strict cosim_design {-argv -ldflags -rtl -tool -trace_level} {-O -setup -wave_debug} 0 0
strict export_design {-format -rtl -output -version -description -vendor -library -ipname} {-flow} 0 0 hls_export
"""

STUBS = {"vivado": VIVADO, "xdc": VIVADO, "quartus": QUARTUS, "sdc": SDC,
         "vitis_hls": VITIS_HLS}
