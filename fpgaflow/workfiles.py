"""``python -m fpgaflow.workfiles SRC NAME [SRC NAME ...]``: copy each SRC to NAME
(relative to the current directory, folders created). The stages run it to put a core's
``copyto`` files (firmware images, ROM contents) where the RTL opens them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) % 2 or not argv:
        print("usage: python -m fpgaflow.workfiles SRC NAME [SRC NAME ...]", file=sys.stderr)
        return 2
    for src, name in zip(argv[::2], argv[1::2]):
        dst = Path(name)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if Path(src).is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
