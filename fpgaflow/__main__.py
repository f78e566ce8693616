"""`python -m fpgaflow` is the `fpgaflow` command."""

from .cli import main

main()
