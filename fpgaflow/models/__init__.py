"""Bit-exact NumPy reference models of the cores under cores/ (one module per core)."""
