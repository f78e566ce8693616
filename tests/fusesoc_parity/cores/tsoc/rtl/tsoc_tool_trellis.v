// in the EDAM only with the trellis tool flag (tool_trellis?), as `fusesoc run --tool trellis`
module tsoc_tool_trellis;
endmodule
