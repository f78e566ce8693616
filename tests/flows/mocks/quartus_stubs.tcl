# Stub Quartus Tcl commands for the mock quartus_sh (tests only). argv: the script to run.
set project ""
proc project_new {name args} {
    set ::project $name
    set fh [open $name.qpf w]; puts $fh "PROJECT_REVISION = \"$name\""; close $fh
    close [open $name.qsf w]
}
proc qsf {line} { set fh [open $::project.qsf a]; puts $fh $line; close $fh }
proc set_global_assignment {args} {
    if {$::project eq ""} { error "ERROR: no open project" }
    set name [lindex $args [expr {[lsearch $args -name] + 1}]]
    set value [lindex $args end]
    if {$name in {VERILOG_FILE SYSTEMVERILOG_FILE VHDL_FILE SDC_FILE}} {
        if {![file exists $value]} { error "ERROR: file not found: $value" }
        if {$name eq "SDC_FILE"} {
            set fh [open $value]; set text [read $fh]; close $fh
            if {![info complete $text]} { error "ERROR: SDC $value is not complete Tcl" }
        }
    }
    qsf "set_global_assignment $args"
}
proc set_location_assignment {args} { qsf "set_location_assignment $args" }
proc set_instance_assignment {args} { qsf "set_instance_assignment $args" }
proc set_parameter {args} { qsf "set_parameter $args" }
proc export_assignments {} {}
proc project_close {} {}
source [lindex $argv 0]
