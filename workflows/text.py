"""Text a person typed, before it is stored: what no case may carry.

A NUL byte cannot be stored in PostgreSQL text, and a lone surrogate (a JSON "\\ud800" escape)
cannot be encoded as UTF-8: either, once inside a case, makes every later read of it fail. Such
text is refused where it comes in, naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MAX_JSON_DEPTH = 32  # a form nests two levels; a diagram's data a few more


def text_problem(value: str) -> str | None:
    """Why this text cannot be stored (in Chinese), or None when it can."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "含有空字符（NUL），无法保存"
    return "含有无效的 Unicode 字符（单独的代理项），无法保存"


def reason_problem(value: Any, label: str, most: int, *, required: bool = True) -> tuple[str, str] | None:
    """Why a reason someone gave (a cancellation's, a return's) cannot be taken: (code, message in
    Chinese, named by its `label`), or None when it can (an optional one may be left out)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ("required", f"请填写{label}") if required else None
    if not isinstance(value, str):
        return ("invalid", f"{label}必须是文字")
    if problem := text_problem(value):
        return ("invalid_text", f"{label}{problem}")
    if len(value.strip()) > most:
        return ("too_long", f"{label}不能超过 {most} 字")
    return None


def is_blank(value: Any) -> bool:
    """Is this a missing answer: None, an empty list, or text that is empty or only white space?"""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def bad_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (path, reason) in a JSON value whose key or text cannot be stored; paths like `data.reason`."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                yield where or "body", problem
        elif isinstance(item, dict):
            for key, inner in item.items():
                inner_path = f"{where}.{key}" if where else str(key)
                key_problem = text_problem(str(key))
                if key_problem:
                    yield where or "body", f"字段名{key_problem}"
                else:
                    stack.append((inner_path, inner))
        elif isinstance(item, list):
            stack.extend((f"{where}[{index}]", inner) for index, inner in enumerate(item))


def depth(value: Any) -> int:
    """How deeply a JSON value nests (a scalar is 0, [] or {} is 1)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            level += 1
            deepest = max(deepest, level)
            stack.extend((inner, level) for inner in (item.values() if isinstance(item, dict) else item))
    return deepest
