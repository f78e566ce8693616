"""What every fpgaflow schema shares: strict pydantic models, bounded messages, located errors.

``validate(Model, data, file=...)`` checks a mapping loaded by ``yamlfile`` (or JSON) and
turns the first pydantic error into an ``FpgaflowError`` naming file, line and dotted key,
what was expected and what was found (shortened: a value is never printed whole, so an
alias bomb or a 1 MB string cannot flood a message).
"""

from __future__ import annotations

import math
import re
import reprlib
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ..errors import FpgaflowError

_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlevel = 2
_REPR.maxdict = _REPR.maxlist = _REPR.maxtuple = _REPR.maxset = 4
_REPR.maxlong = 40


def short(value: Any) -> str:
    """A bounded repr for messages (``{value!r}`` of an alias bomb is gigabytes)."""
    try:
        return _REPR.repr(value)
    except Exception:  # noqa: BLE001 - a repr that fails must not hide the real error
        return f"<{type(value).__name__}>"


def kind(value: Any) -> str:
    """'int 3', 'str 'x'', 'a list' ... for "expected X, got Y"."""
    if isinstance(value, bool):
        return short(value)
    if isinstance(value, (int, float, str)):
        return f"{type(value).__name__} {short(value)}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


class Strict(BaseModel):
    """Strict types (no '3' for 3, no true for 1), unknown keys are errors."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=False,
                              validate_default=False, hide_input_in_errors=True)


def schema_pattern(pattern: str) -> str:
    """A JSON Schema pattern matching the whole string in ECMA and Python regexes alike
    (Python's ``$`` also matches before a trailing newline; ``(?![\\s\\S])`` does not)."""
    return f"^(?:{pattern})(?![\\s\\S])"


IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"


def matching(pattern: str, what: str, max_length: int, **field) -> Any:
    """A string type whose whole text matches ``pattern`` (``re.fullmatch``: a trailing
    newline does not pass, as it does with ``$``), published as a JSON Schema pattern."""
    rx = re.compile(pattern)

    def check(value: str) -> str:
        if not rx.fullmatch(value):
            raise ValueError(f"expected {what}, got {short(value)}")
        return value
    return Annotated[str, Field(max_length=max_length,
                                json_schema_extra={"pattern": schema_pattern(pattern)}, **field),
                     AfterValidator(check)]


def _finite(value: float) -> float:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value}")
    return value


Finite = Annotated[float, AfterValidator(_finite)]
Count = Annotated[int, Field(ge=0)] | Annotated[float, Field(ge=0), AfterValidator(_finite)]

# names that become file and directory names (build dirs are <name>-<digest8>: < 255 bytes)
NAME_MAX = 200
Name = matching(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", "letters, digits, '-', '_' or '.'", NAME_MAX)
# an HDL identifier (Verilog/VHDL/Tcl/SDC safe): parameters, clock ports
Identifier = matching(IDENTIFIER, "an HDL identifier (letters, digits, _)", 250)
IDENTIFIER_KEYS = {"propertyNames": {"pattern": schema_pattern(IDENTIFIER), "maxLength": 250}}

M = TypeVar("M", bound=BaseModel)


def _message(err: dict, value: Any) -> str:
    etype, ctx = err["type"], err.get("ctx") or {}
    if etype == "extra_forbidden":
        return "unknown key"
    if etype == "missing":
        return "missing required key"
    if etype == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    if etype == "literal_error":
        return f"expected one of {ctx.get('expected', '').replace(' or ', ', ')}, got {kind(value)}"
    if etype in ("greater_than_equal", "greater_than", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than": "<",
              "less_than_equal": "<="}[etype]
        return f"expected a number {op} {bound}, got {kind(value)}"
    if etype in ("finite_number",):
        return f"expected a finite number, got {kind(value)}"
    if etype in ("string_too_long", "too_long"):
        return f"too long: at most {ctx.get('max_length')} " + (
            "characters" if etype == "string_too_long" else "items")
    if etype in ("too_short",):
        return f"expected at least {ctx.get('min_length')} item(s)"
    what = {"int_type": "int", "int_from_float": "int", "bool_type": "bool", "float_type": "a number",
            "string_type": "a string", "dict_type": "a mapping", "list_type": "a list",
            "model_type": "a mapping", "model_attributes_type": "a mapping"}.get(etype)
    if what:
        return f"expected {what}, got {kind(value)}"
    return f"{err['msg']} (got {kind(value)})"


def _dig(data: Any, loc: tuple) -> tuple[Any, int | None]:
    """The value at ``loc`` and the line of its deepest located key."""
    node, line = data, getattr(data, "line", None)
    for part in loc:
        if isinstance(node, dict) and part in node:
            if hasattr(node, "line_of"):
                line = node.line_of(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            if hasattr(node[part], "line") and node[part].line:
                line = node[part].line
            node = node[part]
        else:
            return None, line
    return node, line


def _clean_loc(loc: tuple, data: Any) -> tuple:
    """Drop pydantic's union/function tags from a loc ('int', 'function-after[...]')."""
    out, node = [], data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int):
            out.append(part)
            node = node[part] if 0 <= part < len(node) else None
        elif isinstance(part, str) and not isinstance(node, (dict, list)):
            continue  # a union branch name
        else:
            out.append(part)
            node = None
    return tuple(out)


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.$\-]{1,100}")


def dotted(loc: tuple) -> str:
    """('options', 'yosys', 1) -> options.yosys[1]; a key that is not plain is quoted."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _PLAIN_KEY.fullmatch(str(part)):
            text += f"[{short(part)}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def error_from(exc: ValidationError, data: Any, *, file: str | None, prefix: tuple = (),
               hints: dict[str, str] | None = None, error_class=FpgaflowError) -> FpgaflowError:
    """The first (most specific) validation error as a located FpgaflowError."""
    errors = exc.errors(include_url=False, include_input=False)
    # prefer an error that is not a union's "wrong branch" type error
    several = len(errors) > 1      # (a list reads as empty while it is being sorted)
    errors.sort(key=lambda e: (e["type"].endswith("_type") and several, -len(e["loc"])))
    err = errors[0]
    loc = _clean_loc(tuple(err["loc"]), data)
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc = loc[:-1]
    value, line = _dig(data, loc)
    if is_key:
        value = loc[-1] if loc else None
    key = dotted(prefix + loc) or None
    message = _message(err, value)
    if is_key:
        message = "unknown key: " + message.replace("got ", "not ", 1)
    hint = None
    if hints:
        hint = hints.get(err["type"] + ":" + dotted(loc[:-1])) or hints.get(err["type"])
    if err["type"] == "missing":
        message = f"missing required key {short(loc[-1])}"
        if hasattr(data, "line_of"):
            line = line or 1
    return error_class(message, file=file, line=line, key=key, hint=hint)


def validate(model: type[M], data: Any, *, file: str | None = None, prefix: tuple = (),
             hints: dict[str, str] | None = None, error_class=FpgaflowError) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error_from(exc, data, file=file, prefix=prefix, hints=hints,
                         error_class=error_class) from None
