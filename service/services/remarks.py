"""A short remark typed beside an act (a reason, a note, a message): optional, bounded, storable."""

from __future__ import annotations

from typing import Any

from workflows.text import text_problem

from ..errors import invalid


def optional_text(value: Any, field: str, label: str, limit: int) -> str:
    """The remark stripped ("" when not given); anything else than storable text up to `limit`
    characters is a 422 naming `field`."""
    if value is None:
        return ""
    if not isinstance(value, str):
        problem, code = "必须是文字", "invalid_type"
    elif len(value.strip()) > limit:
        problem, code = f"不能超过 {limit} 个字", "too_long"
    elif (why := text_problem(value)) is not None:
        problem, code = why, "invalid_text"
    else:
        return value.strip()
    message = f"{label}{problem}"
    raise invalid(message, [{"field": field, "code": code, "message": message}])
