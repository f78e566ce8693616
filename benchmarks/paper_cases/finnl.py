"""Cases for benchmarks/papers.py (placeholder: filled in by the issue that owns it)."""
NAME = "finnl"


def cases(papers, args):
    raise SystemExit(f"benchmarks/paper_cases/{NAME}.py: not written yet")
