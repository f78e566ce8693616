"""Shared by the mock vendor tools: record argv and cwd, answer version probes."""
import json
import os
import sys


def record(tool: str) -> None:
    log = os.environ.get("FPGAFLOW_MOCK_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write(json.dumps({"tool": tool, "argv": sys.argv[1:], "cwd": os.getcwd()}) + "\n")


def fixtures() -> str:
    return os.environ["FPGAFLOW_MOCK_FIXTURES"]
