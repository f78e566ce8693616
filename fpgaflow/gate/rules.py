"""Gate rules: the grammar (lark), parsed into ``Rule`` objects, checked against what
each metric is (a number, a boolean, a word).

One rule is one line of this grammar (``GRAMMAR`` below is the lark text)::

    rule      := metric OP value
    metric    := segment ('.' segment)*          lut.pct   clk.fmax_mhz   "clk|pll[0]".fmax_mhz
    segment   := NAME | STRING                   NAME: letters, digits, _ and $ (and inner -)
    OP        := '<=' | '<' | '>=' | '>' | '==' | '!='
    value     := ['-'] NUMBER                    an absolute number:  40000   -0.25   1.5e3
               | 'true' | 'false'                booleans (timing.met, sim.passed, estimate)
               | NAME | STRING                   words (status == passed)
               | '+' NUMBER ['%']                relative to the baseline:  +2%   +0
               | '-' NUMBER '%'                  relative to the baseline:  -5%
               | 'baseline' [('+'|'-') NUMBER ['%']]    the long form:  baseline - 10

``+N`` is an absolute delta and ``+N%`` a relative one (``limit = baseline * (1 + N/100)``).
``-N`` without ``%`` is a plain negative number (``timing.wns_ns >= -0.1``); write
``baseline - N`` for a negative absolute delta. Every error names the column of the first
problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import FpgaflowError
from ..summary import RESOURCE_KEYS, STATUSES

OPERATORS = ("<=", "<", ">=", ">", "==", "!=")
RESOURCE_ATTRS = ("used", "pct", "available", "bits")
CLOCK_ATTRS = ("fmax_mhz", "target_mhz", "wns_ns", "tns_ns", "whs_ns", "ths_ns", "met")
SECTIONS = ("timing", "power", "hls", "sim")
BOOL_METRICS = {"timing.met", "sim.passed"}
NUMBER_METRICS = {"timing.wns_ns", "timing.tns_ns", "timing.whs_ns", "timing.ths_ns", "power.total_w",
                  "power.dynamic_w", "power.static_w", "hls.interval", "hls.latency_cycles",
                  "hls.clock_estimated_ns", "sim.cycles_per_item", "sim.vectors"}
TOP_METRICS = {"status": "word", "flow": "word", "estimate": "bool", "fmax_mhz": "number"}
MAX_RULE = 1000        # characters of one rule

GRAMMAR = r"""
rule: metric OP value
metric: segment (DOT segment)*
?segment: NAME | STRING
value: NUMBER PERCENT?                      -> number
     | sign NUMBER PERCENT?                 -> signed
     | NAME (sign NUMBER PERCENT?)?         -> word
     | STRING                               -> word
sign: PLUS | MINUS

NUMBER: /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/
NAME: /[A-Za-z_$][A-Za-z0-9_$]*(?:-[A-Za-z_$][A-Za-z0-9_$]*)*/
STRING: /"[^"]*"|'[^']*'/
OP: /[<>=!]+/
PLUS: "+"
MINUS: "-"
PERCENT: "%"
DOT: "."
%ignore /\s+/
"""


class RuleError(FpgaflowError):
    """A rule that cannot be parsed or makes no sense (exit 2)."""


@lru_cache(maxsize=1)
def _parser():
    """The LALR parser of the grammar, kept in fpgaflow's cache directory: Lark checks the
    grammar, its options and its own version against the cached tables and rebuilds them
    when any differs (building them costs more than the rest of loading a recipe)."""
    from lark import Lark

    from ..toolchain import CACHE_DIR
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        cache: str | bool = str(CACHE_DIR / "gate-rules.lark")
    except OSError:
        cache = False
    return Lark(GRAMMAR, start="rule", parser="lalr", lexer="basic", maybe_placeholders=False,
                cache=cache)


@dataclass(frozen=True)
class Token:
    kind: str      # NAME NUMBER STRING OP PLUS MINUS PERCENT DOT END
    text: str
    col: int       # 1-based column of the first character


def tokenize(text: str) -> list[Token]:
    """The rule's tokens with their columns (lark's lexer), ending with END."""
    from lark.exceptions import UnexpectedCharacters
    try:
        tokens = [Token(t.type, str(t), t.column) for t in _parser().lex(text)]
    except UnexpectedCharacters as exc:
        raise _lex_error(text, exc) from None
    return tokens + [Token("END", "", len(text) + 1)]


def _lex_error(text: str, exc) -> RuleError:
    ch = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
    if ch in "\"'":
        return _syntax(text, exc.column, "unterminated quoted name")
    return _syntax(text, exc.column, f"unexpected character {ch!r}")


def _syntax(text: str, col: int, message: str, **kw) -> RuleError:
    return RuleError(f"rule {text!r}: column {col}: {message}", **kw)


@dataclass(frozen=True)
class Relative:
    """A limit relative to the baseline's value: ``base + delta`` or ``base * (1 + delta/100)``."""
    delta: float
    percent: bool

    def limit(self, base: float) -> float:
        return base * (1 + self.delta / 100.0) if self.percent else base + self.delta

    def __str__(self) -> str:
        sign = "+" if self.delta >= 0 else "-"
        return f"baseline {sign} {_num(abs(self.delta))}{'%' if self.percent else ''}"


@dataclass(frozen=True)
class Rule:
    text: str                    # the rule as written
    path: tuple[str, ...]        # metric segments
    op: str
    value: Any = None            # number, bool or word; None when relative
    relative: Relative | None = None
    origin: str = "--rule"       # "--rule" or "gates"

    @property
    def metric(self) -> str:
        return ".".join(s if re.fullmatch(r"[A-Za-z0-9_$-]+", s) else f'"{s}"' for s in self.path)


def _describe(tok: Token) -> str:
    return "the end of the rule" if tok.kind == "END" else repr(tok.text)


def _num(x: float | int) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x)}"
    return f"{x:.3f}".rstrip("0").rstrip(".")


def _fmt_value(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, bool) or _is_number(x):
        return _num(x)
    return str(x)


def _parse_number(text: str) -> float | int:
    value = float(text)
    return int(text) if re.fullmatch(r"\d{1,30}", text) else value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _parse_error(text: str, exc) -> RuleError:
    """A lark UnexpectedToken as the message of the rule's position in the grammar."""
    tok = exc.token
    found = Token("END", "", len(text) + 1) if tok.type == "$END" else Token(tok.type, str(tok), tok.column)
    expected = set(exc.expected)
    before = text[:found.col - 1].rstrip()
    if expected <= {"NAME", "STRING"}:
        return _syntax(text, found.col, f"expected a metric name, found {_describe(found)}")
    if "OP" in expected:
        return _syntax(text, found.col, "expected an operator (one of " + ", ".join(OPERATORS)
                       + f"), found {_describe(found)}")
    if expected == {"NUMBER"}:
        return _syntax(text, found.col, f"expected a number after {before[-1:]!r}")
    if "NUMBER" in expected and "NAME" in expected:
        return _syntax(text, found.col, "expected a value (a number, true/false, a word or +N%), "
                       f"found {_describe(found)}")
    extra = "; units are fixed by the metric name" if found.kind == "NAME" else ""
    return _syntax(text, found.col, f"unexpected {_describe(found)} after the value{extra}")


def parse_rule(text: str, origin: str = "--rule") -> Rule:
    """Parse one rule; a RuleError (exit 2) names the column of the first problem."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken
    if not text.strip():
        raise RuleError("empty rule")
    if len(text) > MAX_RULE:
        raise RuleError(f"rule longer than {MAX_RULE} characters")
    try:
        tree = _parser().parse(text)
    except UnexpectedCharacters as exc:
        raise _lex_error(text, exc) from None
    except UnexpectedToken as exc:
        raise _parse_error(text, exc) from None
    metric_tree, op_tok, value_tree = tree.children
    toks = [Token(t.type, str(t), t.column) for t in metric_tree.children if t.type != "DOT"]
    path = tuple(t.text[1:-1] if t.kind == "STRING" else t.text for t in toks)
    op = Token("OP", str(op_tok), op_tok.column)
    if op.text not in OPERATORS:
        raise _syntax(text, op.col, f"unknown operator {op.text!r}; expected one of "
                      + ", ".join(OPERATORS))
    kind = _metric_kind(text, path, toks)
    if kind in ("bool", "word") and op.text not in ("==", "!="):
        raise _syntax(text, op.col, f"{'.'.join(path)} is a {'boolean' if kind == 'bool' else 'word'}"
                      f": only == and != apply, not {op.text}")
    value, relative, value_tok = _value(text, value_tree)
    dotted = ".".join(path)
    if kind == "any" and op.text not in ("==", "!=") and relative is None and not _is_number(value):
        raise _syntax(text, value_tok.col, f"expected a number after {op.text}, found {_describe(value_tok)}")
    if kind == "number" and relative is None and not _is_number(value):
        raise _syntax(text, value_tok.col, f"expected a number for {dotted}, found {_describe(value_tok)}")
    if kind == "bool" and not isinstance(value, bool):
        raise _syntax(text, value_tok.col, f"expected true or false for {dotted}, found {_describe(value_tok)}")
    if kind == "word":
        if relative is not None or not isinstance(value, str):
            raise _syntax(text, value_tok.col, f"expected a word for {dotted}, found {_describe(value_tok)}")
        if path == ("status",) and value not in STATUSES:
            raise _syntax(text, value_tok.col, f"status is one of {', '.join(STATUSES)}, not {value!r}")
    return Rule(text.strip(), path, op.text, value, relative, origin)


def _value(text: str, tree) -> tuple[Any, Relative | None, Token]:
    toks = [Token(t.type, str(t), t.column) for t in tree.scan_values(lambda v: True)]
    first = toks[0]
    percent = toks[-1].kind == "PERCENT"
    if tree.data == "number":
        if percent:
            raise _syntax(text, toks[-1].col, "a bare percentage is ambiguous: write +N% or -N% for "
                          "a limit relative to the baseline, or use <resource>.pct for % of the device")
        return _parse_number(first.text), None, first
    if tree.data == "signed":
        sign, number = toks[0], toks[1]
        if sign.kind == "PLUS" or percent:
            delta = float(number.text) * (-1 if sign.kind == "MINUS" else 1)
            return None, Relative(delta, percent), sign
        return -_parse_number(number.text), None, sign
    # a word, true/false, or `baseline [+-N[%]]`
    if first.kind == "STRING":
        return first.text[1:-1], None, first
    if len(toks) > 1 and first.text != "baseline":
        raise _syntax(text, toks[1].col, f"unexpected {toks[1].text!r} after the value")
    if first.text == "baseline":
        if len(toks) == 1:
            return None, Relative(0.0, False), first
        delta = float(toks[2].text) * (-1 if toks[1].kind == "MINUS" else 1)
        return None, Relative(delta, percent), first
    low = first.text.lower()
    if low in ("true", "false"):
        return low == "true", None, first
    return first.text, None, first


def _metric_kind(text: str, path: tuple[str, ...], toks: list[Token]) -> str:
    """'number', 'bool', 'word' or 'any' for a metric path, or a RuleError naming the bad segment."""
    head = path[0]
    dotted = ".".join(path)

    def error(tok: Token, message: str) -> RuleError:
        return _syntax(text, tok.col, message)

    if len(path) == 1:
        if head in TOP_METRICS:
            return TOP_METRICS[head]
        raise error(toks[0], f"unknown metric {head!r}; a metric is <resource>.used|pct|"
                    "available|bits, timing.met, <clock>.fmax_mhz, fmax_mhz, power.total_w, "
                    "status, hls.*, sim.* …")
    if head in RESOURCE_KEYS:
        if len(path) != 2 or path[1] not in RESOURCE_ATTRS:
            bad = toks[1] if path[1] not in RESOURCE_ATTRS else toks[2]
            raise error(bad, f"resource {head} has {', '.join(RESOURCE_ATTRS)}; "
                        f"not {'.'.join(path[1:])!r}")
        return "number"
    if head in SECTIONS:
        if dotted in BOOL_METRICS:
            return "bool"
        return "number" if dotted in NUMBER_METRICS else "any"
    if head == "stages":
        if len(path) != 3 or path[2] not in ("seconds", "status"):
            raise error(toks[-1], "a stage metric is stages.<stage>.seconds or stages.<stage>.status")
        return "number" if path[2] == "seconds" else "word"
    if len(path) == 2 and path[1] == "met":
        return "bool"
    if len(path) == 2 and path[1] in CLOCK_ATTRS:
        return "number"
    raise error(toks[1] if len(path) > 1 else toks[0],
                f"unknown metric {dotted!r}: {head!r} is not a resource ({', '.join(RESOURCE_KEYS)}) "
                f"nor a section, and a clock has {', '.join(CLOCK_ATTRS)}")


def rules_from_gates(gates: Any, where: str | None = None) -> list[Rule]:
    """Rules from a summary's ``gates`` object: {metric: condition} (or a list of rule strings).

    A condition is ``"<= 40"``, ``"<= +2%"``, a list of such strings, or a bare value
    (``true``, ``passed``, ``42``) meaning ``== value``.
    """
    if gates is None:
        return []
    if isinstance(gates, list):
        return [parse_rule(str(text), origin="gates") for text in gates]
    if not isinstance(gates, dict):
        raise RuleError("gates is not a mapping of metric to condition", file=where)
    rules = []
    for metric, conditions in gates.items():
        for cond in conditions if isinstance(conditions, list) else [conditions]:
            if isinstance(cond, bool):
                text = f"{metric} == {'true' if cond else 'false'}"
            elif isinstance(cond, (int, float)):
                text = f"{metric} == {cond}"
            elif isinstance(cond, str) and cond.strip()[:1] in ("<", ">", "=", "!"):
                text = f"{metric} {cond.strip()}"
            elif isinstance(cond, str):
                text = f"{metric} == {cond.strip()}"
            else:
                from ..schemas.base import short
                raise RuleError(f"condition for {short(metric)} is {short(cond)}; expected a string "
                                "like '<= 40'", file=where, key="gates")
            try:
                rules.append(parse_rule(text, origin="gates"))
            except RuleError as exc:
                raise RuleError(exc.message, file=where, key="gates") from None
    return rules
