# Stub Vitis HLS Tcl commands for the mock vitis_hls (tests only). argv: the script.
set fixtures $env(FPGAFLOW_MOCK_FIXTURES)
set steps {}
proc step {name} { lappend ::steps $name; set fh [open hls_steps.txt a]; puts $fh $name; close $fh }
proc open_project {args} { set ::prj [lindex $args end]; file mkdir $::prj; step open_project }
proc set_top {top} { set ::top $top }
set compiled {}
# add_files [-tb] FILE [-cflags FLAGS]; each call is listed in hls_add_files.txt as
# file <TAB> tb (0/1) <TAB> cflags
proc add_files {args} {
    set i [lsearch $args -cflags]
    set f [lindex $args [expr {$i >= 0 ? $i - 1 : "end"}]]
    set cflags [expr {$i >= 0 ? [lindex $args [expr {$i + 1}]] : ""}]
    set tb [expr {[lsearch $args -tb] >= 0}]
    if {![file exists $f]} { error "ERROR: add_files: $f not found" }
    set f [file normalize $f]
    if {$tb} { lappend ::tb $f }
    if {[regexp {\.(c|cc|cpp|cxx)$} $f]} { lappend ::compiled [list $f $tb $cflags] }
    set fh [open hls_add_files.txt a]; puts $fh "$f\t$tb\t$cflags"; close $fh
}
# What a compiler started in $dir finds: every #include "x" of a compiled file must be
# next to that file or in one of its -I dirs (relative ones taken from $dir).
proc compile_in {dir with_tb} {
    set here [pwd]
    file mkdir $dir
    cd $dir
    foreach entry $::compiled {
        lassign $entry f tb cflags
        if {$tb && !$with_tb} { continue }
        set dirs [list [file dirname $f]]
        foreach flag $cflags {
            if {[string match -I* $flag]} { lappend dirs [string range $flag 2 end] }
        }
        set fh [open $f]; set text [read $fh]; close $fh
        foreach {- inc} [regexp -all -inline -line {^\s*#\s*include\s+"([^"]+)"} $text] {
            set found 0
            foreach d $dirs { if {[file exists [file join $d $inc]]} { set found 1; break } }
            if {!$found} {
                cd $here
                error "ERROR: $f: fatal error: $inc: No such file or directory (in $dir, cflags: $cflags)"
            }
        }
    }
    cd $here
}
proc open_solution {args} { set ::sol [file join $::prj [lindex $args end-2]]; file mkdir $::sol }
proc set_part {part} { set ::part $part }
proc create_clock {args} {}
proc csim_design {args} { compile_in $::sol/csim/build 1; step csim_design }
proc csynth_design {args} {
    compile_in $::sol/syn 0
    step csynth_design
    file mkdir $::sol/syn/report $::sol/syn/verilog
    file copy -force $::fixtures/csynth.rpt $::sol/syn/report/csynth.rpt
    file copy -force $::fixtures/csynth.xml $::sol/syn/report/csynth.xml
    set fh [open $::sol/syn/verilog/$::top.v w]; puts $fh "module ${::top} (input ap_clk); endmodule"; close $fh
}
proc cosim_design {args} { step cosim_design }
proc export_design {args} { step export_design; file mkdir $::sol/impl/ip; close [open $::sol/impl/ip/component.xml w] }
source [lindex $argv 0]
