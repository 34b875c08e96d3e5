"""审批意见: what a step's answer says as an opinion — its verdict and its words — read from the
step's form by the names and types of its fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .forms import Form, FormField

# An enum field whose answer decides the step (同意 / 退回修改 / 不予受理 …) is its verdict.
DECISION_SUFFIXES = ("_decision", "_conclusion", "_result", "_outcome")
DECISION_NAMES = frozenset({"verdict"})
# A field whose answer is said to someone is part of the opinion's words: its name ends in one of
# these or speaks of an opinion (co_opinion_text), or it is a text field of a step that approves
# another (the diagram's govflow:approves).
OPINION_SUFFIXES = ("_opinion", "_note", "_comment", "_reason")
VERDICT_SEPARATOR = "；"
MAX_VERDICT = 200


@dataclass(frozen=True)
class StepOpinion:
    """The verdict (None when the step decides nothing) and the words (may be empty) of one answer."""

    verdict: str | None
    text: str


def is_decision(f: FormField) -> bool:
    """Does this field's answer decide the step (its verdict)?"""
    return f.type == "enum" and (f.name.endswith(DECISION_SUFFIXES) or f.name in DECISION_NAMES)


def is_opinion(f: FormField, approval_step: bool) -> bool:
    """Are this field's words part of the step's opinion (审批意见)?"""
    if is_decision(f):
        return False
    named = f.name.endswith(OPINION_SUFFIXES) or "opinion" in f.name
    return named or (approval_step and f.type == "text")


def step_opinion(form: Form, answer: Mapping[str, Any], approval_step: bool) -> StepOpinion | None:
    """The opinion an answer to this form gives, or None when it gives none.

    Several decisions read as one verdict (不涉密，可以公开；同意); several texts each stand under
    their label on a line of their own, a single one stands alone.
    """
    verdicts = [_readable(f, answer[f.name]) for f in form.fields if is_decision(f) and _given(answer, f)]
    parts = [f for f in form.fields if is_opinion(f, approval_step) and _given(answer, f)]
    texts = [_readable(f, answer[f.name]) for f in parts]
    if len(parts) > 1:
        texts = [f"{f.label}：{text}" for f, text in zip(parts, texts, strict=True)]
    if not verdicts and not texts:
        return None
    verdict = VERDICT_SEPARATOR.join(verdicts) if verdicts else None
    return StepOpinion(shortened(verdict) if verdict else None, "\n".join(texts))


def shortened(verdict: str) -> str:
    """A verdict that fits its column (a label is short; joined labels might not be)."""
    return verdict if len(verdict) <= MAX_VERDICT else verdict[: MAX_VERDICT - 1] + "…"


def readable(value: Any, labels: Mapping[str, str]) -> str:
    """An answer as a person reads it: options by their labels, lists joined, 是/否 for yes/no."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(labels.get(v, str(v)) for v in value)
    return labels.get(value, str(value)) if isinstance(value, str) else str(value)


def _readable(f: FormField, value: Any) -> str:
    return readable(value, {o.value: o.label for o in f.options}).strip()


def _given(answer: Mapping[str, Any], f: FormField) -> bool:
    value = answer.get(f.name)
    return (
        value is not None
        and value != ""
        and value != []
        and (not isinstance(value, str) or bool(value.strip()))
    )
