# Stub Vitis HLS Tcl commands for the mock vitis_hls (tests only). argv: the script.
set fixtures $env(FPGAFLOW_MOCK_FIXTURES)
set steps {}
proc step {name} { lappend ::steps $name; set fh [open hls_steps.txt a]; puts $fh $name; close $fh }
proc open_project {args} { set ::prj [lindex $args end]; file mkdir $::prj; step open_project }
proc set_top {top} { set ::top $top }
proc add_files {args} {
    set f [lindex $args [expr {[lsearch $args -cflags] >= 0 ? [lsearch $args -cflags] - 1 : "end"}]]
    if {![file exists $f]} { error "ERROR: add_files: $f not found" }
    if {[lsearch $args -tb] >= 0} { lappend ::tb $f }
}
proc open_solution {args} { set ::sol [file join $::prj [lindex $args end-2]]; file mkdir $::sol }
proc set_part {part} { set ::part $part }
proc create_clock {args} {}
proc csim_design {args} { step csim_design }
proc csynth_design {args} {
    step csynth_design
    file mkdir $::sol/syn/report $::sol/syn/verilog
    file copy -force $::fixtures/csynth.rpt $::sol/syn/report/csynth.rpt
    file copy -force $::fixtures/csynth.xml $::sol/syn/report/csynth.xml
    set fh [open $::sol/syn/verilog/$::top.v w]; puts $fh "module ${::top} (input ap_clk); endmodule"; close $fh
}
proc cosim_design {args} { step cosim_design }
proc export_design {args} { step export_design; file mkdir $::sol/impl/ip; close [open $::sol/impl/ip/component.xml w] }
source [lindex $argv 0]
