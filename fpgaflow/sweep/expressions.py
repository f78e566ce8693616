"""Derived parameters: a restricted, bounded expression evaluator (arithmetic, comparisons,
``a if c else b`` and a few functions over the other parameters; no attribute, no builtin,
results capped in size so ``'x' * 10**12`` or a tower of powers is an error, not a hang)."""

from __future__ import annotations

import ast
import math
import operator
from typing import Any

_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
           ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
_CMP = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
        ast.Gt: operator.gt, ast.GtE: operator.ge}
FUNCTIONS = {"min": min, "max": max, "abs": abs, "int": int, "round": round,
             "ceil": math.ceil, "floor": math.floor, "log2": math.log2,
             "clog2": lambda x: max(0, math.ceil(math.log2(x)))}


class ExprError(ValueError):
    pass


MAX_EXPR = 1000          # characters of a derived expression
MAX_BITS = 256           # integers a derived parameter may reach (HDL parameters are 32-bit)
MAX_STR = 1000           # characters of a string result


def _bounded(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise ExprError(f"result too large (more than {MAX_BITS} bits)")
    if isinstance(value, str) and len(value) > MAX_STR:
        raise ExprError(f"string result longer than {MAX_STR} characters")
    if isinstance(value, float) and not math.isfinite(value):
        raise ExprError(f"result is {value}, not a finite number")
    return value


def _check_operands(op: ast.operator, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too large before computing it."""
    if isinstance(op, ast.Pow) and _is_num(left) and _is_num(right):
        if abs(right) > 64:
            raise ExprError("exponent too large")
        if isinstance(left, int) and isinstance(right, int) and right > 0 and \
                left.bit_length() * right > MAX_BITS:
            raise ExprError(f"result too large (more than {MAX_BITS} bits)")
    if isinstance(op, ast.Mult):
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, str) and isinstance(n, int) and len(seq) * max(n, 0) > MAX_STR:
                raise ExprError(f"string result longer than {MAX_STR} characters")


def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_expression(text: str) -> ast.Expression:
    """Parse ``text`` and reject anything but arithmetic, comparisons, ``a if c else b`` and
    calls of ``FUNCTIONS`` on names and literals."""
    if len(text) > MAX_EXPR:
        raise ExprError(f"expression longer than {MAX_EXPR} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"not a valid expression: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("expression nested too deeply") from None
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp,
               ast.Constant, ast.Name, ast.Load, ast.Call, ast.And, ast.Or,
               *_BINOPS, *_UNARY, *_CMP)
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise ExprError(f"{type(node).__name__} is not allowed in a derived expression")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
                raise ExprError("only calls of " + ", ".join(FUNCTIONS) + " are allowed")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool)):
            raise ExprError(f"constant {node.value!r} is not allowed")
    return tree


def names_in(tree: ast.AST) -> set[str]:
    calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in calls}


def evaluate(text: str | ast.Expression, variables: dict[str, Any]) -> Any:
    """Evaluate a checked expression over ``variables`` (no builtins, no attributes)."""
    tree = check_expression(text) if isinstance(text, str) else text

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return _bounded(node.value)
        if isinstance(node, ast.Name):
            if node.id not in variables:
                raise ExprError(f"unknown name {node.id!r}")
            return variables[node.id]
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            _check_operands(node.op, left, right)
            return _bounded(_BINOPS[type(node.op)](left, right))
        if isinstance(node, ast.UnaryOp):
            return _bounded(_UNARY[type(node.op)](ev(node.operand)))
        if isinstance(node, ast.BoolOp):
            values = [ev(v) for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            for op, comp in zip(node.ops, node.comparators):
                right = ev(comp)
                if not _CMP[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            return ev(node.body) if ev(node.test) else ev(node.orelse)
        if isinstance(node, ast.Call):
            return _bounded(FUNCTIONS[node.func.id](*[ev(a) for a in node.args]))
        raise ExprError(f"{type(node).__name__} is not allowed")

    try:
        value = ev(tree)
    except ExprError:
        raise
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ExprError(f"{type(exc).__name__}: {str(exc)[:200]}") from None
    except RecursionError:
        raise ExprError("expression nested too deeply") from None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value
