"""YAML loading that remembers where each key was written.

``load(path)`` returns plain dicts/lists, except that every mapping is a ``Located``
dict that knows the line of each of its keys (``m.line_of("clocks")``). Recipe, board
and sweep validation use it to name file, line and key in their errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import FpgaflowError


class Located(dict):
    """A dict that remembers the source line of the mapping and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: ~10x faster
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    out = Located()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)):
            raise FpgaflowError("mapping keys must be plain scalars", line=key_node.start_mark.line + 1)
        key = str(key) if not isinstance(key, str) else key
        if key in out:
            raise FpgaflowError(f"key {key!r} appears twice", line=key_node.start_mark.line + 1,
                                key=key)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def plain(value: Any) -> Any:
    """Located dicts -> plain dicts (for YAML dumping, JSON and pickling)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


MAX_BYTES = 4 << 20        # a recipe, sweep or board file is a few kB; 4 MB is a mistake
MAX_NODES = 200_000        # nodes after alias expansion ("billion laughs" stops here)


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has once every alias is expanded (without expanding):
    each distinct node is visited once, its size is 1 + the sizes of its children."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        if children_done:
            sizes[id(node)] = min(1 + sum(sizes.get(id(c), 1) for c in children), 1 << 62)
        elif id(node) not in sizes:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def loads(text: str, file: str = "<string>") -> Any:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if _expanded_size(node) > MAX_NODES:
                raise FpgaflowError(f"too many values once YAML aliases are expanded (more than "
                                    f"{MAX_NODES}); write the values out or use fewer aliases",
                                    file=file)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except FpgaflowError as exc:
        exc.file = file
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FpgaflowError(f"not valid YAML: {exc.problem or exc.context}", file=file,
                            line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise FpgaflowError(f"not valid YAML: {exc}", file=file) from None
    except RecursionError:
        raise FpgaflowError("not valid YAML: nested too deeply", file=file) from None


def read_text(path: str | Path, limit: int = MAX_BYTES, what: str = "file") -> str:
    """The text of a regular file of at most ``limit`` bytes (never /dev/zero, a FIFO, a dir)."""
    import os
    import stat
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise FpgaflowError("file not found", file=str(p)) from None
    except OSError as exc:
        raise FpgaflowError(f"cannot read: {exc.strerror or exc}", file=str(p)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise FpgaflowError(f"{kind}: expected a {what}", file=str(p))
        if st.st_size > limit:
            raise FpgaflowError(f"{st.st_size} bytes: larger than the {limit >> 20} MB a {what} "
                                "may have", file=str(p))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise FpgaflowError(f"cannot read: {exc.strerror or exc}", file=str(p)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FpgaflowError(f"larger than the {limit >> 20} MB a {what} may have", file=str(p))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FpgaflowError(f"not UTF-8 text (byte {exc.start})", file=str(p)) from None


def load(path: str | Path) -> Any:
    p = Path(path)
    return loads(read_text(p, what="YAML file"), file=str(p))
