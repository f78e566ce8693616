# Stub Vivado Tcl commands for the mock `vivado` (tests only).
# argv: project.xpr (or "") followed by the scripts to source.
set fixtures $env(FPGAFLOW_MOCK_FIXTURES)
array set props {}
set files {}
set project ""
set projdir [pwd]

proc persist {line} {
    set fh [open [file join $::projdir $::project.xpr] a]
    puts $fh $line
    close $fh
}
proc create_project {name args} {
    set ::project $name
    set ::projdir [pwd]
    close [open $name.xpr w]
    file mkdir $name.runs/synth_1 $name.runs/impl_1
}
proc open_project {path} {
    if {![file exists $path]} { error "ERROR: project $path does not exist" }
    set ::project [file rootname [file tail $path]]
    set ::projdir [file normalize [file dirname $path]]
    uplevel #0 [list source $path]
}
proc close_project {} {}
proc current_project {} { return $::project }
proc current_fileset {} { return fileset:sources_1 }
proc get_filesets {name} { return fileset:$name }
proc get_runs {name} { return run:$name }
proc get_files {args} { return [lindex $args end] }
proc set_property {args} {
    if {[lindex $args 0] eq "-name"} {
        set name [lindex $args 1]; set value [lindex $args 3]; set obj [lindex $args 5]
    } else {
        lassign $args name value obj
    }
    set ::props($obj,$name) $value
    persist [list set ::props($obj,$name) $value]
}
proc get_property {name obj} {
    if {[info exists ::props($obj,$name)]} { return $::props($obj,$name) }
    switch -- $name {
        NEEDS_REFRESH { return 0 }
        PROGRESS { return "0%" }
        STATUS { return "Not started" }
        DIRECTORY { return [file join $::projdir $::project.runs [string range $obj 4 end]] }
    }
    error "get_property: unknown $name of $obj"
}
proc need {path} { if {![file exists $path]} { error "ERROR: file not found: $path" } }
proc read_verilog {args} { need [lindex $args end] }
proc read_xdc {args} {
    set f [lindex $args end]
    need $f
    set fh [open $f]; set text [read $fh]; close $fh
    if {![info complete $text]} { error "ERROR: XDC $f is not complete Tcl" }
}
proc add_files {args} {
    foreach f [lindex $args end] {
        need $f
        lappend ::files [file normalize $f]
        persist [list lappend ::files [file normalize $f]]
    }
}
proc reset_run {run} { set ::props(run:$run,PROGRESS) "0%" }
proc reset_runs {run} { reset_run $run }
proc wait_on_run {run} {}
proc launch_runs {run args} {
    set step [expr {$run eq "synth_1" ? "SYNTH_DESIGN" : "ROUTE_DESIGN"}]
    set to [expr {$run eq "synth_1" ? "synth_design" : "route_design"}]
    set i [lsearch $args -to_step]
    if {$i >= 0} { set to [lindex $args [expr {$i + 1}]] }
    set here [pwd]
    cd [file join $::projdir $::project.runs $run]
    # what a run can read by base name: the project's memory files (Vivado makes them
    # available to the run), listed here for the tests
    set fh [open mock_memory_files.txt w]
    foreach f $::files {
        if {[info exists ::props($f,FILE_TYPE)] && $::props($f,FILE_TYPE) eq "Memory Initialization Files"} {
            puts $fh $f
        }
    }
    close $fh
    if {[info exists ::props(run:$run,STEPS.$step.TCL.POST)]} {
        uplevel #0 [list source $::props(run:$run,STEPS.$step.TCL.POST)]
    }
    if {$to eq "write_bitstream"} { close [open top.bit w] }
    cd $here
    set ::props(run:$run,PROGRESS) "100%"
    set ::props(run:$run,STATUS) "$to Complete!"
    persist [list set ::props(run:$run,PROGRESS) "100%"]
    persist [list set ::props(run:$run,STATUS) "$to Complete!"]
}
proc open_run {run} {
    if {$::props(run:$run,PROGRESS) ne "100%"} { error "ERROR: run $run is not complete" }
}
proc write_edif {f} { close [open $f w] }
proc write_verilog {f} { close [open $f w] }
proc report_any {args} {
    set f [lindex $args [expr {[lsearch $args -file] + 1}]]
    file copy -force [file join $::fixtures [file tail $f]] $f
}
foreach cmd {report_utilization report_timing_summary report_power} {
    interp alias {} $cmd {} report_any
}

set xpr [lindex $argv 0]
if {$xpr ne ""} { open_project $xpr }
foreach script [lrange $argv 1 end] {
    source $script
}
