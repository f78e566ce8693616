"""Shared by the mock vendor tools: record argv, cwd and the data files there."""
import glob
import hashlib
import json
import os
import sys

DATA = ("*.hex", "*.mem", "*.dat")


def data_files() -> dict:
    """sha256 of each data file ($readmemh ROM contents) in the working directory."""
    out = {}
    for pattern in DATA:
        for name in glob.glob(pattern):
            with open(name, "rb") as fh:
                out[name] = hashlib.sha256(fh.read()).hexdigest()
    return dict(sorted(out.items()))


def record(tool: str) -> None:
    log = os.environ.get("FPGAFLOW_MOCK_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write(json.dumps({"tool": tool, "argv": sys.argv[1:], "cwd": os.getcwd(),
                                 "data": data_files()}) + "\n")


def fixtures() -> str:
    return os.environ["FPGAFLOW_MOCK_FIXTURES"]
