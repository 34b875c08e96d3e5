"""The guards diagram scripts run under: size caps on everything a script builds, one budget per run.

The restricted script engine rewrites every operation that can allocate into a call of one of these
guards, which refuse an oversized result before building it (see script_engine.py).
"""

from __future__ import annotations

import contextvars
import numbers
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

MAX_SOURCE_CHARS = 20_000  # with the node cap, bounds the CPU a single script can use
MAX_NODES = 2_000
MAX_DEPTH = 100  # the checker and Python's compiler recurse once per level of nesting
MAX_ITEMS = 100_000  # characters of a string, or items of a value counted deeply
MAX_TOTAL_ITEMS = 1_000_000  # all that one run may build or measure
MAX_INT_BITS = 4_096
SAFE_METHODS = frozenset(
    ("get", "keys", "values", "items", "strip", "lower", "upper", "startswith", "endswith")
    + ("split", "join", "replace", "count", "index", "append", "copy")
)


class ScriptRejected(ValueError):
    """A script uses a construct that diagram scripts may not use."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message if lineno is None else f"{message}（第 {lineno} 行）")
        self.lineno = lineno


class ScriptLimitExceeded(ValueError):
    """A running script tried to build a value larger than the caps allow."""


# Every run gets a budget of items/characters it may build in all: without one, 200 statements
# each building a value just under MAX_ITEMS take half a gigabyte and land in the task data.
BUDGET: contextvars.ContextVar[list[int]] = contextvars.ContextVar("govflow_script_budget")


def _cap(size: int, what: str = "值") -> None:
    if size > MAX_ITEMS:
        raise ScriptLimitExceeded(f"脚本要生成的{what}超过 {MAX_ITEMS} 项（或字符）")


# Charged with everything a guard builds or measures, so the budget bounds CPU as well.
def _spend(size: int, what: str = "值") -> None:
    _cap(size, what)
    budget = BUDGET.get(None)
    if budget is not None:
        budget[0] -= size
        if budget[0] < 0:
            raise ScriptLimitExceeded(f"脚本一次运行生成的数据合计超过 {MAX_TOTAL_ITEMS} 项")


def _check_int(value: Any, bits: int | None = None) -> Any:
    if isinstance(value, int) and (bits or value.bit_length()) > MAX_INT_BITS:
        raise ScriptLimitExceeded(f"脚本要生成超过 {MAX_INT_BITS} 位的整数")
    return value


_VIEWS: tuple[Any, ...] = (type({}.keys()), type({}.values()), type({}.items()))
_CONTAINERS = (list, tuple, set, frozenset, dict, *_VIEWS)
_SIZELESS = {float, bool, type(None)}


# Items plus nested characters, with shared parts counted once per use, as str() would print
# them: otherwise `a = [x, x]`, `b = [a, a]`, ... grows exponentially with script length.
def _weight(value: Any, forbidden: object = None) -> int:
    memo: dict[int, int] = {}
    keep: list[Any] = []  # holds measured objects so that their ids cannot be reused meanwhile
    open_ids = set() if forbidden is None else {id(forbidden)}

    def measure(item: Any) -> int:
        if isinstance(item, (str, bytes)):
            return len(item)
        if isinstance(item, int):
            return item.bit_length() // 64
        if not isinstance(item, _CONTAINERS) or id(item) in memo:
            return memo.get(id(item), 0)
        if id(item) in open_ids:
            raise ScriptLimitExceeded("列表或字典不能包含自身")
        parts = [*item.keys(), *item.values()] if isinstance(item, dict) else item
        kinds = set(map(type, parts))
        if kinds <= {str}:  # flat lists are common and large: count them at C speed
            total = len(item) + sum(map(len, parts))
        elif kinds <= {int, bool}:
            total = len(item) + sum(map(int.bit_length, parts)) // 64
        elif kinds <= _SIZELESS:
            total = len(item)
        else:
            open_ids.add(id(item))
            total = len(item)
            for part in parts:
                total += measure(part)
                _cap(total)  # stop early: with aliasing the full count can be astronomical
            open_ids.discard(id(item))
        keep.append(item)
        memo[id(item)] = total
        return total

    return measure(value)


def _checked(value: Any) -> Any:
    _spend(_weight(value))
    return value


# Keyed by the name of the ast operator class, which the rewriter passes to _binop.
OPERATORS = dict(Add=operator.add, Sub=operator.sub, Mult=operator.mul, Div=operator.truediv)
OPERATORS.update(FloorDiv=operator.floordiv, Mod=operator.mod)
_SEQUENCES = (str, bytes, list, tuple)


def _binop(op: str, left: Any, right: Any) -> Any:
    if op == "Mult" and isinstance(left, int) and isinstance(right, int):
        # A product has at least bits(a) + bits(b) - 1 bits: refuse before multiplying.
        _check_int(left, left.bit_length() + right.bit_length() - 1)
    elif op == "Mult":
        seq, times = (left, right) if isinstance(left, _SEQUENCES) else (right, left)
        if isinstance(seq, _SEQUENCES) and isinstance(times, int) and times > 0 and len(seq):
            _spend(_weight(seq) * times, f"{type(seq).__name__}")
    elif op == "Add" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        _spend(_weight(left) + _weight(right), f"{type(left).__name__}")
    elif op == "Mod" and isinstance(left, (str, bytes)):
        # '%0999999999d' % 1 would allocate a gigabyte; f-strings are guarded instead.
        raise ScriptRejected("不允许用 % 格式化文字，请改用 f-string")
    return _check_int(OPERATORS[op](left, right))


_COPYING_METHODS = frozenset(("split", "copy", "strip", "lower", "upper"))


def _method(receiver: Any, name: str, /, *args: Any, **kwargs: Any) -> Any:
    # Only builtin containers: objects from task data or extra functions may have methods of
    # the same names that do something else entirely.
    if not isinstance(receiver, (str, list, dict, tuple)):
        kind = type(receiver).__name__
        raise ScriptRejected(f".{name}() 只能用于文字、列表和字典，不能用于 {kind}")
    if name == "append" and isinstance(receiver, list) and len(args) == 1:
        _spend(_weight(receiver) + 1 + _weight(args[0], forbidden=receiver), "列表")
    elif name == "join" and isinstance(receiver, str) and len(args) == 1:
        args = (list(args[0]),)  # materialise once so the check sees exactly what join will
        _spend(_weight(args[0]) + len(receiver) * max(len(args[0]) - 1, 0), "文字")
    elif name == "replace" and isinstance(receiver, str) and len(args) >= 2:
        old, new = args[0], args[1]
        if isinstance(old, str) and isinstance(new, str):
            hits = receiver.count(old) if old else len(receiver) + 1
            if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
                hits = min(hits, args[2])
            _spend(len(receiver) + hits * (len(new) - len(old)), "文字")
    result = getattr(receiver, name)(*args, **kwargs)
    if name in _COPYING_METHODS:  # bounded by the receiver's size; upper() may triple it
        _spend(_weight(result), f".{name}() 的结果")
    return result


def _setitem(container: Any, key: Any, value: Any) -> None:
    if isinstance(container, (list, dict)):
        _spend(_weight(container) + _weight(key) + _weight(value, forbidden=container))
    container[key] = value


# A width or precision of 1000 or more ('{x:>999999999}') would allocate that many characters
# before any check could look at the result.
_BIG_FORMAT_NUMBER = re.compile(r"[1-9]\d{3}")
_CONVERSIONS: dict[int, Callable[[Any], str]] = {ord("s"): str, ord("r"): repr, ord("a"): ascii}


def _fstring(*parts: str | tuple[Any, int, str]) -> str:
    texts, total = [], 0
    for part in parts:
        if isinstance(part, tuple):  # a {field}: (value, conversion, format spec)
            value, conversion, spec = part
            if _BIG_FORMAT_NUMBER.search(spec):
                raise ScriptLimitExceeded(f"f-string 的宽度须小于 1000，而不是 {spec}")
            part = format(_CONVERSIONS[conversion](value) if conversion > 0 else value, spec)
        texts.append(part)
        total += len(part)
        _cap(total, "文字")
    _spend(total, "文字")
    return "".join(texts)


def _sum(values: Iterable[Any], /, start: Any = 0) -> Any:
    """Add up numbers like sum(); lists and text would dodge the '+' size guard."""
    items = list(values)
    if not all(isinstance(item, numbers.Number) for item in (start, *items)):
        raise ScriptRejected("sum() 只能对数字求和")
    return _check_int(sum(items, start))


# Guards are bound under '_' names, which scripts cannot spell: the check runs before rewriting.
GUARDS: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {f"_gf{f.__name__}": f for f in (_binop, _method, _setitem, _checked, _fstring)}
)
DEFAULT_FUNCTIONS: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {f.__name__: f for f in (len, str, int, float, bool, min, max, abs, round, sorted, any, all)}
    | {f.__name__: f for f in (list, dict, set, tuple)}
    | {"sum": _sum}
)
