"""CI synthesis gates: check a summary against rules and, optionally, a baseline summary.

Reads summaries only (``summary.load``); never opens a tool report. Rules come from the
summary's ``"gates"`` object (the recipe's ``gates:`` section, copied by the build) and from
``--rule`` options.

- ``rules``: the rule grammar (lark) -> ``Rule``; what each metric is (number, bool, word);
- ``evaluation``: a metric's value in a summary, baseline comparability, verdicts, ``run``;
- ``outputs``: the terminal table, JUnit XML, Markdown, JSON.

Metrics: ``<resource>.used|pct|available|bits`` (canonical resource keys), ``timing.met``,
``timing.wns_ns`` (any key of the timing section), ``<clock>.fmax_mhz|target_mhz|wns_ns|met``
(a clock of ``timing.clocks``), ``fmax_mhz`` (the worst clock), ``power.total_w`` (any key of
power), ``hls.*``, ``sim.*``, ``stages.<stage>.seconds|status``, ``status``, ``flow``,
``estimate``. A metric that the summary lacks makes its rule fail with a message saying so;
a failed or incomplete build fails the gate whatever its rules.
"""

from .evaluation import (GateInputError, GateReport, Missing, Result, build_status, evaluate,
                         metric_value, mismatches, run)
from .outputs import (device_line, format_delta, format_limit, format_value, print_table,
                      to_dict, to_junit, to_markdown)
from .rules import (GRAMMAR, OPERATORS, Relative, Rule, RuleError, Token, parse_rule,
                    rules_from_gates, tokenize)

__all__ = ["GRAMMAR", "OPERATORS", "GateInputError", "GateReport", "Missing", "Relative",
           "Result", "Rule", "RuleError", "Token", "build_status", "device_line", "evaluate",
           "format_delta", "format_limit", "format_value", "metric_value", "mismatches",
           "parse_rule", "print_table", "rules_from_gates", "run", "to_dict", "to_junit",
           "to_markdown", "tokenize"]
