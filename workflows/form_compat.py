"""Whether an open task's form in a new diagram version still fits the task as it stands.

A case moved to a new version keeps its open tasks; each then shows the new version's form. That
form is compatible with the old one when, for every field of the new form:

- a field of the same name in the old form has the same type (answers typed for the old type, a
  draft handed back, a client that fills the old form would otherwise be read as another type);
- a field the new form requires (outright, or by a requiredIf that holds on the answers) is either
  one the old form required as well (the holder was going to answer it anyway), or already answered
  in the data the task carries (the case's answers so far, and a draft handed back if any).

So a field the new version adds as required, that nothing has answered yet, makes the move refused:
the task would ask for more than it asked when it was handed out. Fields dropped, labels, options
and bounds changed, and optional fields added are compatible (the form is validated on completion).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .forms import Form, FormField, holds
from .text import is_blank

TYPE_WORDS = {
    "string": "单行文字",
    "text": "多行文字",
    "integer": "整数",
    "boolean": "是/否",
    "date": "日期",
    "enum": "单选",
    "enums": "多选",
    "department": "部门",
    "departments": "多个部门",
    "contact": "联系方式",
    "url": "网址",
}


@dataclass(frozen=True)
class FormChange:
    """One field that makes the new form incompatible; `code`: `type_changed` or `newly_required`."""

    field: str
    code: str
    message: str


def form_changes(old: Form, new: Form, answers: Mapping[str, Any]) -> tuple[FormChange, ...]:
    """Every field of the new form that does not fit the old form and the answers (empty: compatible)."""
    before = {f.name: f for f in old.fields}
    found = []
    for f in new.fields:
        was = before.get(f.name)
        if was is not None and was.type != f.type:
            message = f"字段“{f.label}”的类型由{_words(was.type)}改为{_words(f.type)}"
            found.append(FormChange(f.name, "type_changed", message))
        elif _newly_required(f, was, answers) and is_blank(answers.get(f.name)):
            found.append(FormChange(f.name, "newly_required", f"新增必填字段“{f.label}”，案件中尚无此项"))
    return tuple(found)


def _newly_required(f: FormField, was: FormField | None, answers: Mapping[str, Any]) -> bool:
    """Required now, and not already required of the task by the old form."""
    return _required(f, answers) and not (was is not None and _required(was, answers))


def _required(f: FormField, answers: Mapping[str, Any]) -> bool:
    return f.required or (f.required_if is not None and holds(f.required_if, answers))


def _words(field_type: str) -> str:
    return f"“{TYPE_WORDS.get(field_type, field_type)}”"
