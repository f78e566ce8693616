"""CI synthesis gates: check a summary against rules and, optionally, a baseline summary.

Reads summaries only (``summary.load``); never opens a tool report.

Rules come from the summary's ``"gates"`` object (the recipe's ``gates:`` section, copied by
the build) and from ``--rule`` options. One rule is one line of this grammar::

    rule      := metric OP value END
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
``baseline - N`` for a negative absolute delta.

Metrics: ``<resource>.used|pct|available|bits`` (canonical resource keys), ``timing.met``,
``timing.wns_ns`` (any key of the timing section), ``<clock>.fmax_mhz|target_mhz|wns_ns|met``
(a clock of ``timing.clocks``), ``fmax_mhz`` (the worst clock), ``power.total_w`` (any key of
power), ``hls.*``, ``sim.*``, ``stages.<stage>.seconds|status``, ``status``, ``flow``,
``estimate``. A metric that the summary lacks makes its rule fail with a message saying so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import summary as summary_mod
from .errors import FpgaflowError
from .summary import RESOURCE_KEYS, STATUSES, resource_pct

OPERATORS = ("<=", "<", ">=", ">", "==", "!=")
RESOURCE_ATTRS = ("used", "pct", "available", "bits")
CLOCK_ATTRS = ("fmax_mhz", "target_mhz", "wns_ns", "tns_ns", "whs_ns", "ths_ns", "met")
SECTIONS = ("timing", "power", "hls", "sim")
BOOL_METRICS = {"timing.met", "sim.passed"}
NUMBER_METRICS = {"timing.wns_ns", "timing.tns_ns", "timing.whs_ns", "timing.ths_ns", "power.total_w",
                  "power.dynamic_w", "power.static_w", "hls.interval", "hls.latency_cycles",
                  "hls.clock_estimated_ns", "sim.cycles_per_item", "sim.vectors"}
TOP_METRICS = {"status": "word", "flow": "word", "estimate": "bool", "fmax_mhz": "number"}


class RuleError(FpgaflowError):
    """A rule that cannot be parsed or makes no sense (exit 2)."""


class GateInputError(FpgaflowError):
    """Bad gate input: no rules, no baseline for a relative rule, baseline mismatch (exit 2)."""


# --------------------------------------------------------------------------- tokenizer

@dataclass(frozen=True)
class Token:
    kind: str      # NAME NUMBER STRING OP PLUS MINUS PERCENT DOT END
    text: str
    col: int       # 1-based column of the first character


_TOKEN_RE = re.compile(r"""
    (?P<space>\s+)
  | (?P<NUMBER>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<NAME>[A-Za-z_$][A-Za-z0-9_$]*(?:-[A-Za-z_$][A-Za-z0-9_$]*)*)
  | (?P<STRING>"[^"]*"|'[^']*')
  | (?P<OP>[<>=!]+)
  | (?P<PLUS>\+) | (?P<MINUS>-) | (?P<PERCENT>%) | (?P<DOT>\.)
""", re.VERBOSE)


def tokenize(text: str) -> list[Token]:
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:
            ch = text[pos]
            if ch in "\"'":
                raise _syntax(text, pos + 1, "unterminated quoted name")
            raise _syntax(text, pos + 1, f"unexpected character {ch!r}")
        kind = m.lastgroup
        if kind != "space":
            tok_text = m.group()
            if kind == "OP" and tok_text not in OPERATORS:
                raise _syntax(text, pos + 1, f"unknown operator {tok_text!r}; expected one of "
                              + ", ".join(OPERATORS))
            tokens.append(Token(kind, tok_text, pos + 1))
        pos = m.end()
    tokens.append(Token("END", "", len(text) + 1))
    return tokens


def _syntax(text: str, col: int, message: str, **kw) -> RuleError:
    return RuleError(f"rule {text!r}: column {col}: {message}", **kw)


# --------------------------------------------------------------------------- rules

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


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, tok: Token, message: str) -> RuleError:
        return _syntax(self.text, tok.col, message)

    def expect(self, kind: str, what: str) -> Token:
        tok = self.peek()
        if tok.kind != kind:
            raise self.error(tok, f"expected {what}, found {_describe(tok)}")
        return self.take()

    def segment(self) -> tuple[str, Token]:
        tok = self.peek()
        if tok.kind == "NAME":
            return self.take().text, tok
        if tok.kind == "STRING":
            return self.take().text[1:-1], tok
        raise self.error(tok, f"expected a metric name, found {_describe(tok)}")

    def rule(self, origin: str) -> Rule:
        first, first_tok = self.segment()
        path, toks = [first], [first_tok]
        while self.peek().kind == "DOT":
            self.take()
            seg, tok = self.segment()
            path.append(seg)
            toks.append(tok)
        kind = _metric_kind(tuple(path), toks, self)
        op_tok = self.peek()
        if op_tok.kind != "OP":
            raise self.error(op_tok, "expected an operator (one of " + ", ".join(OPERATORS)
                             + f"), found {_describe(op_tok)}")
        self.take()
        if kind in ("bool", "word") and op_tok.text not in ("==", "!="):
            raise self.error(op_tok, f"{'.'.join(path)} is a {'boolean' if kind == 'bool' else 'word'}"
                             f": only == and != apply, not {op_tok.text}")
        value, relative, value_tok = self.value()
        if kind == "any" and op_tok.text not in ("==", "!=") and relative is None and not _is_number(value):
            raise self.error(value_tok, f"expected a number after {op_tok.text}, found {_describe(value_tok)}")
        if kind == "number" and relative is None and not _is_number(value):
            raise self.error(value_tok, f"expected a number for {'.'.join(path)}, found {_describe(value_tok)}")
        if kind == "bool" and not isinstance(value, bool):
            raise self.error(value_tok, f"expected true or false for {'.'.join(path)}, "
                             f"found {_describe(value_tok)}")
        if kind == "word":
            if relative is not None or not isinstance(value, str):
                raise self.error(value_tok, f"expected a word for {'.'.join(path)}, found {_describe(value_tok)}")
            if path == ["status"] and value not in STATUSES:
                raise self.error(value_tok, f"status is one of {', '.join(STATUSES)}, not {value!r}")
        end = self.peek()
        if end.kind != "END":
            extra = f"; units are fixed by the metric name" if end.kind == "NAME" else ""
            raise self.error(end, f"unexpected {_describe(end)} after the value{extra}")
        return Rule(self.text.strip(), tuple(path), op_tok.text, value, relative, origin)

    def value(self) -> tuple[Any, Relative | None, Token]:
        tok = self.peek()
        if tok.kind == "NAME" and tok.text == "baseline":
            self.take()
            sign = self.peek()
            if sign.kind not in ("PLUS", "MINUS"):
                return None, Relative(0.0, False), tok
            self.take()
            number = self.expect("NUMBER", f"a number after 'baseline {sign.text}'")
            percent = self._percent()
            delta = float(number.text) * (-1 if sign.kind == "MINUS" else 1)
            return None, Relative(delta, percent), tok
        if tok.kind in ("PLUS", "MINUS"):
            self.take()
            number = self.expect("NUMBER", f"a number after '{tok.text}'")
            percent = self._percent()
            if tok.kind == "PLUS" or percent:
                delta = float(number.text) * (-1 if tok.kind == "MINUS" else 1)
                return None, Relative(delta, percent), tok
            return -_parse_number(number.text), None, tok
        if tok.kind == "NUMBER":
            self.take()
            if self.peek().kind == "PERCENT":
                raise self.error(self.peek(), "a bare percentage is ambiguous: write +N% or -N% for a "
                                 "limit relative to the baseline, or use <resource>.pct for % of the device")
            return _parse_number(tok.text), None, tok
        if tok.kind == "NAME":
            self.take()
            low = tok.text.lower()
            if low in ("true", "false"):
                return low == "true", None, tok
            return tok.text, None, tok
        if tok.kind == "STRING":
            self.take()
            return tok.text[1:-1], None, tok
        raise self.error(tok, f"expected a value (a number, true/false, a word or +N%), "
                         f"found {_describe(tok)}")

    def _percent(self) -> bool:
        if self.peek().kind == "PERCENT":
            self.take()
            return True
        return False


def _describe(tok: Token) -> str:
    return "the end of the rule" if tok.kind == "END" else repr(tok.text)


def _parse_number(text: str) -> float | int:
    value = float(text)
    return int(value) if re.fullmatch(r"\d+", text) else value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _metric_kind(path: tuple[str, ...], toks: list[Token], parser: _Parser) -> str:
    """'number', 'bool' or 'word' for a metric path, or a RuleError naming the bad segment."""
    head = path[0]
    dotted = ".".join(path)
    if len(path) == 1:
        if head in TOP_METRICS:
            return TOP_METRICS[head]
        raise parser.error(toks[0], f"unknown metric {head!r}; a metric is <resource>.used|pct|"
                           "available|bits, timing.met, <clock>.fmax_mhz, fmax_mhz, power.total_w, "
                           "status, hls.*, sim.* …")
    if head in RESOURCE_KEYS:
        if len(path) != 2 or path[1] not in RESOURCE_ATTRS:
            bad = toks[1] if path[1] not in RESOURCE_ATTRS else toks[2]
            raise parser.error(bad, f"resource {head} has {', '.join(RESOURCE_ATTRS)}; "
                               f"not {'.'.join(path[1:])!r}")
        return "number"
    if head in SECTIONS:
        if dotted in BOOL_METRICS:
            return "bool"
        return "number" if dotted in NUMBER_METRICS else "any"
    if head == "stages":
        if len(path) != 3 or path[2] not in ("seconds", "status"):
            raise parser.error(toks[-1], "a stage metric is stages.<stage>.seconds or stages.<stage>.status")
        return "number" if path[2] == "seconds" else "word"
    if len(path) == 2 and path[1] == "met":
        return "bool"
    if len(path) == 2 and path[1] in CLOCK_ATTRS:
        return "number"
    raise parser.error(toks[1] if len(path) > 1 else toks[0],
                       f"unknown metric {dotted!r}: {head!r} is not a resource ({', '.join(RESOURCE_KEYS)}) "
                       f"nor a section, and a clock has {', '.join(CLOCK_ATTRS)}")


def parse_rule(text: str, origin: str = "--rule") -> Rule:
    """Parse one rule; a RuleError (exit 2) names the column of the first problem."""
    if not text.strip():
        raise RuleError("empty rule")
    return _Parser(text).rule(origin)


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
                raise RuleError(f"condition for {metric!r} is {cond!r}; expected a string like '<= 40'",
                                file=where, key="gates")
            try:
                rules.append(parse_rule(text, origin="gates"))
            except RuleError as exc:
                raise RuleError(exc.message, file=where, key="gates") from None
    return rules


# --------------------------------------------------------------------------- metrics

class Missing(Exception):
    """The summary does not have this metric; the message says what is missing."""


def metric_value(summary: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value of a metric in a summary, or ``Missing`` with a reason."""
    head = path[0]
    if head == "fmax_mhz" and len(path) == 1:
        clocks = [c for c in _clocks(summary) if c.get("fmax_mhz") is not None]
        if not clocks:
            raise Missing(_no("timing", summary) if "timing" not in summary
                          else "no clock in timing.clocks has an fmax_mhz")
        return min(c["fmax_mhz"] for c in clocks)
    if len(path) == 1:
        if head not in summary:
            raise Missing(f"the summary has no {head!r}")
        return summary[head]
    if head in RESOURCE_KEYS:
        entry = summary.get("resources", {}).get(head)
        if entry is None:
            raise Missing(f"the summary has no resources.{head}")
        attr = path[1]
        if attr == "pct":
            pct = resource_pct(entry)
            if pct is None:
                raise Missing(f"resources.{head} has no 'available' count, so no % of device")
            return pct
        if entry.get(attr) is None:
            raise Missing(f"resources.{head} has no {attr!r}")
        return entry[attr]
    if head in SECTIONS:
        if head not in summary:
            raise Missing(_no(head, summary))
        node: Any = summary[head]
        for i, seg in enumerate(path[1:], start=1):
            if not isinstance(node, dict) or seg not in node or node[seg] is None:
                raise Missing(f"the summary has no {'.'.join(path[:i + 1])}")
            node = node[seg]
        if isinstance(node, list) and node and all(_is_number(v) for v in node):
            return max(node)  # e.g. hls.latency_cycles [best, worst]: gate the worst case
        return node
    if head == "stages":
        for stage in summary.get("stages", []):
            if stage.get("name") == path[1]:
                if stage.get(path[2]) is None:
                    raise Missing(f"stage {path[1]!r} has no {path[2]!r}")
                return stage[path[2]]
        names = [s.get("name") for s in summary.get("stages", [])]
        raise Missing(f"the summary has no stage {path[1]!r} (stages: {', '.join(map(str, names)) or 'none'})")
    # a clock of timing.clocks
    if "timing" not in summary:
        raise Missing(_no("timing", summary))
    clocks = _clocks(summary)
    for clock in clocks:
        if clock.get("name") == head:
            if clock.get(path[1]) is None:
                raise Missing(f"clock {head!r} has no {path[1]!r}")
            return clock[path[1]]
    names = ", ".join(str(c.get("name")) for c in clocks) or "none"
    raise Missing(f"the summary has no clock {head!r} in timing.clocks (clocks: {names})")


def _clocks(summary: dict[str, Any]) -> list[dict[str, Any]]:
    timing = summary.get("timing") or {}
    return [c for c in timing.get("clocks", []) if isinstance(c, dict)]


def _no(section: str, summary: dict[str, Any]) -> str:
    flow = summary.get("flow")
    if section in ("hls", "sim"):
        why = f" (no {'HLS' if section == 'hls' else 'simulation'} stage in this run)"
    else:
        why = f" (flow {flow!r} does not report {section})" if flow else ""
        if section in (summary.get("needs_vendor") or []):
            why = why[:-1] + ": it needs the vendor tool)" if why else " (it needs the vendor tool)"
    return f"the summary has no {section} section{why}"


# --------------------------------------------------------------------------- baseline

def mismatches(current: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """What makes a baseline incomparable: another device part, flow or tool (name+version)."""
    out = []
    part, base_part = (current.get("device") or {}).get("part"), (baseline.get("device") or {}).get("part")
    if part != base_part:
        out.append(f"device part {part!r} here, {base_part!r} in the baseline")
    if current.get("flow") != baseline.get("flow"):
        out.append(f"flow {current.get('flow')!r} here, {baseline.get('flow')!r} in the baseline")
    tools, base_tools = _tool_versions(current), _tool_versions(baseline)
    for name in sorted(set(tools) | set(base_tools)):
        if name not in base_tools:
            out.append(f"tool {name} {'/'.join(tools[name])} here, absent from the baseline")
        elif name not in tools:
            out.append(f"tool {name} {'/'.join(base_tools[name])} in the baseline, absent here")
        elif tools[name] != base_tools[name]:
            out.append(f"tool {name} version {'/'.join(tools[name])} here, "
                       f"{'/'.join(base_tools[name])} in the baseline")
    return out


def _tool_versions(summary: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for tool in summary.get("tools") or []:
        if isinstance(tool, dict) and tool.get("name"):
            version = str(tool.get("version", "?"))
            versions = out.setdefault(str(tool["name"]), [])
            if version not in versions:
                versions.append(version)
    return {k: sorted(v) for k, v in out.items()}


# --------------------------------------------------------------------------- evaluation

@dataclass
class Result:
    rule: Rule
    passed: bool
    value: Any = None          # the metric's value, None when missing
    limit: Any = None          # the value compared against (resolved from the baseline if relative)
    baseline: Any = None       # the baseline's value of the metric, when there is a baseline
    message: str = ""          # why it failed (or a note)

    @property
    def delta(self) -> float | None:
        if _is_number(self.value) and _is_number(self.baseline):
            return self.value - self.baseline
        return None


@dataclass
class GateReport:
    summary: dict[str, Any]
    results: list[Result]
    baseline: dict[str, Any] | None = None
    baseline_path: str | None = None
    mismatches: list[str] = field(default_factory=list)   # accepted with --allow-mismatch
    updated_baseline: bool = False

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.passed]

    @property
    def title(self) -> str:
        s = self.summary
        return f"{s.get('name') or Path(s.get('_path', 'summary')).parent.name}"


_COMPARE = {
    "<=": lambda a, b: a <= b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


def evaluate(rule: Rule, summary: dict[str, Any], baseline: dict[str, Any] | None = None) -> Result:
    """Check one rule; a missing metric (or baseline metric) is a failure that says so."""
    base_value, base_missing = None, None
    if baseline is not None:
        try:
            base_value = metric_value(baseline, rule.path)
        except Missing as why:
            base_missing = str(why)
    limit = rule.value
    if rule.relative is not None:
        if baseline is None:
            raise GateInputError(f"rule {rule.text!r} is relative to a baseline: give --baseline FILE")
        limit = rule.relative.limit(base_value) if _is_number(base_value) else None
    try:
        value = metric_value(summary, rule.path)
    except Missing as why:
        return Result(rule, False, None, limit, base_value, f"missing metric {rule.metric}: {why}")
    if rule.relative is not None and limit is None:
        reason = (f"missing baseline metric {rule.metric}: {base_missing}" if base_missing
                  else f"baseline {rule.metric} is not a number: {base_value!r}")
        return Result(rule, False, value, None, base_value, reason)
    if _is_number(limit) != _is_number(value) or isinstance(limit, bool) != isinstance(value, bool):
        return Result(rule, False, value, limit, base_value,
                      f"{rule.metric} is {value!r}, which cannot be compared with {limit!r}")
    if isinstance(value, float) and math.isnan(value):
        return Result(rule, False, value, limit, base_value, f"{rule.metric} is not a number (NaN)")
    ok = _COMPARE[rule.op](value, limit)
    message = "" if ok else f"{rule.metric} is {_fmt(value)}, limit {rule.op} {_fmt(limit)}" + (
        f" ({rule.relative} = {_fmt(limit)})" if rule.relative else "")
    return Result(rule, ok, value, limit, base_value, message)


def build_status(summary: dict[str, Any]) -> Result | None:
    """A failing result when the build itself failed or is incomplete: its numbers are
    partial (a failed P&R leaves synthesis counts), so no rule can pass it."""
    status = summary.get("status")
    if status not in ("failed", "incomplete"):
        return None
    bad = [s for s in summary.get("stages") or [] if isinstance(s, dict)
           and s.get("status") in ("failed", "incomplete")]
    why = (f": stage {bad[0].get('name')} {bad[0].get('status')}"
           + (f" ({bad[0]['message']})" if bad[0].get("message") else "")) if bad else \
        (": no stage ran" if not summary.get("stages") else "")
    rule = Rule("status is passed or timing-failed", ("status",), "==", "passed",
                origin="build status")
    return Result(rule, False, status, "passed", None, f"the build is {status}{why}")


def run(summary_path: str | Path, rules: list[str] = (), baseline_path: str | Path | None = None,
        allow_mismatch: bool = False, update_baseline: bool = False) -> GateReport:
    """Load a summary (and baseline), parse the rules and check them all.

    ``update_baseline`` writes the current summary to ``baseline_path`` first, on purpose:
    the rules are then checked against the new baseline (absolute rules still apply).
    Raises FpgaflowError (exit 2) for bad input; the report says whether the rules passed.
    """
    current = summary_mod.load(summary_path)
    parsed = rules_from_gates(current.get("gates"), where=current.get("_path"))
    parsed += [parse_rule(text) for text in rules]
    if not parsed:
        raise GateInputError("no rules to check", file=current.get("_path"),
                             hint="add a gates: section to the recipe or give --rule 'lut.pct <= 40'")
    baseline = None
    found: list[str] = []
    if update_baseline:
        if baseline_path is None:
            raise GateInputError("--update-baseline needs --baseline FILE (the file to write)")
        summary_mod.write(baseline_path, current)
    if baseline_path is not None:
        baseline = summary_mod.load(baseline_path)
        found = mismatches(current, baseline)
        if found and not allow_mismatch:
            raise GateInputError("baseline is not comparable: " + "; ".join(found), file=str(baseline_path),
                                 hint="gate against a baseline of the same part, flow and tools, "
                                      "or pass --allow-mismatch")
    relative = [r for r in parsed if r.relative is not None]
    if relative and baseline is None:
        raise GateInputError(f"rule {relative[0].text!r} is relative to a baseline: give --baseline FILE")
    results = [evaluate(rule, current, baseline) for rule in parsed]
    status = build_status(current)
    if status is not None:
        results.insert(0, status)
    return GateReport(current, results, baseline, str(baseline_path) if baseline_path else None,
                      found, update_baseline)


# --------------------------------------------------------------------------- formatting

def _num(x: float | int) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x)}"
    return f"{x:.3f}".rstrip("0").rstrip(".")


def _fmt(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, bool) or _is_number(x):
        return _num(x)
    return str(x)


def format_value(r: Result) -> str:
    if r.value is None:
        return "missing"
    text = _fmt(r.value)
    return text + " %" if r.rule.path[-1] == "pct" else text


def format_limit(r: Result) -> str:
    if r.limit is None and r.rule.relative is not None:
        return f"{r.rule.op} {r.rule.relative}"
    text = f"{r.rule.op} {_fmt(r.limit)}"
    if r.rule.relative is not None:
        text += f" ({r.rule.relative})"
    return text


def format_delta(r: Result) -> str:
    if r.delta is not None:
        d = r.delta
        text = ("+" if d >= 0 else "−") + _num(abs(d))
        if r.baseline:
            text += f" ({'+' if d >= 0 else '−'}{abs(d) / abs(r.baseline) * 100:.1f}%)"
        return text
    if r.baseline is not None:
        return "=" if r.baseline == r.value else f"was {_fmt(r.baseline)}"
    return ""


def device_line(s: dict[str, Any]) -> str:
    part = (s.get("device") or {}).get("part", "unknown part")
    tools = ", ".join(f"{t.get('name')} {t.get('version', '')}".strip() for t in s.get("tools") or []
                      if isinstance(t, dict))
    est = " (estimate)" if s.get("estimate") and s.get("flow") != "estimate" else ""
    return f"{part} · flow {s.get('flow', '?')}{est}" + (f" · {tools}" if tools else "")


# --------------------------------------------------------------------------- outputs

def to_junit(report: GateReport) -> str:
    """JUnit XML: one testsuite per summary, one testcase per rule, a <failure> per failed rule."""
    import xml.etree.ElementTree as ET

    s = report.summary
    failures = len(report.failures)
    tests = str(len(report.results))
    root = ET.Element("testsuites", name="fpgaflow gate", tests=tests, failures=str(failures),
                      errors="0", skipped="0", time="0")
    suite = ET.SubElement(root, "testsuite", name=f"fpgaflow gate: {report.title}", tests=tests,
                          failures=str(failures), errors="0", skipped="0", time="0")
    props = ET.SubElement(suite, "properties")
    for name, value in (("summary", s.get("_path")), ("device", (s.get("device") or {}).get("part")),
                        ("flow", s.get("flow")), ("status", s.get("status")),
                        ("baseline", report.baseline_path)):
        if value is not None:
            ET.SubElement(props, "property", name=name, value=str(value))
    classname = "fpgaflow.gate." + re.sub(r"[^A-Za-z0-9_]", "_", report.title)
    for r in report.results:
        case = ET.SubElement(suite, "testcase", classname=classname, name=r.rule.text, time="0")
        detail = (f"value: {format_value(r)}\nlimit: {format_limit(r)}\n"
                  f"baseline delta: {format_delta(r) or '—'}\nfrom: {r.rule.origin}")
        if r.passed:
            ET.SubElement(case, "system-out").text = detail
        else:
            fail = ET.SubElement(case, "failure", message=r.message, type="GateFailure")
            fail.text = detail
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_dict(report: GateReport) -> dict[str, Any]:
    """The report as plain JSON data (for --json and for other tools)."""
    return {
        "schema": "fpgaflow.gate/1",
        "passed": report.passed,
        "summary": report.summary.get("_path"),
        "baseline": report.baseline_path,
        "baseline_updated": report.updated_baseline,
        "mismatches": report.mismatches,
        "results": [{"rule": r.rule.text, "metric": r.rule.metric, "op": r.rule.op,
                     "origin": r.rule.origin, "value": r.value, "limit": r.limit,
                     "baseline": r.baseline, "delta": r.delta, "passed": r.passed,
                     "message": r.message} for r in report.results],
    }


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: GateReport) -> str:
    """GitHub-flavoured Markdown for a PR comment or $GITHUB_STEP_SUMMARY."""
    n, bad = len(report.results), len(report.failures)
    icon = "✅" if report.passed else "❌"
    verdict = f"all {n} rules pass" if report.passed else f"{bad} of {n} rules fail"
    lines = [f"### {icon} fpgaflow gate: {_md_cell(report.title)} — {verdict}", "",
             f"`{_md_cell(device_line(report.summary))}` · status `{report.summary.get('status')}`"]
    if report.baseline_path:
        lines.append(f"Baseline: `{report.baseline_path}`"
                     + (" (updated from this run)" if report.updated_baseline else ""))
    if report.mismatches:
        lines.append("")
        lines.append("> [!WARNING]\n> Baseline of another configuration (accepted with `--allow-mismatch`): "
                     + "; ".join(_md_cell(m) for m in report.mismatches))
    lines += ["", "| Rule | Value | Limit | Verdict | Δ baseline |", "|---|---:|---|:---:|---:|"]
    for r in report.results:
        lines.append(f"| `{_md_cell(r.rule.text)}` | {_md_cell(format_value(r))} | "
                     f"{_md_cell(format_limit(r))} | {'✅ pass' if r.passed else '❌ fail'} | "
                     f"{_md_cell(format_delta(r))} |")
    if report.failures:
        lines += ["", "**Failures**", ""]
        lines += [f"- `{_md_cell(r.rule.text)}`: {r.message}" for r in report.failures]
    return "\n".join(lines) + "\n"


def print_table(report: GateReport, console) -> None:
    """The rule / value / limit / verdict / delta table on a rich console."""
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"gate {report.title}: {device_line(report.summary)}", style="bold"), soft_wrap=True)
    if report.baseline_path:
        console.print(Text(f"baseline {report.baseline_path}"), soft_wrap=True)
    table = Table()
    table.add_column("rule", overflow="fold")
    table.add_column("value", justify="right")
    table.add_column("limit")
    table.add_column("verdict", justify="center")
    if report.baseline is not None:
        table.add_column("Δ baseline", justify="right")
    for r in report.results:
        row = [Text(r.rule.text), Text(format_value(r)), Text(format_limit(r)),
               Text("pass", style="green") if r.passed else Text("FAIL", style="bold red")]
        if report.baseline is not None:
            row.append(Text(format_delta(r)))
        table.add_row(*row)
    console.print(table)
    for m in report.mismatches:
        console.print(Text.assemble(("warning: ", "yellow"), f"baseline mismatch accepted (--allow-mismatch): {m}"),
                      soft_wrap=True)
    for r in report.failures:
        console.print(Text.assemble(("FAIL ", "bold red"), f"{r.rule.text}: {r.message}"), soft_wrap=True)
    n, bad = len(report.results), len(report.failures)
    console.print(Text(f"gate failed: {bad} of {n} rules fail" if bad else f"gate passed: all {n} rules pass",
                       style="bold red" if bad else "bold green"))
