"""fpgaflow: a vendor-neutral FPGA build orchestrator.

Data flow (one direction): recipe -> plan -> run -> parse -> summary.
See README.md for the tour and DESIGN notes.
"""

__version__ = "0.1.0"
