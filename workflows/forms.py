"""Task forms: the fields a diagram declares and the validation of submitted data."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

FIELD_TYPES = ("string", "text", "integer", "boolean", "date", "enum", "enums", "department", "departments")
# For `departments` (several department codes) maxLength caps how many may be chosen.
DEFAULT_MAX_LENGTH = {"string": 200, "text": 10000, "departments": 20}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    name: str
    type: str
    label: str
    required: bool = False
    required_if: tuple[str, str] | None = None  # (other field, value or values joined by "|")
    max_length: int | None = None
    options: tuple[Option, ...] = ()
    min_items: int | None = None  # for departments / enums: at least this many when given

    def to_dict(self) -> dict[str, Any]:
        """Describe the field for the API and the pages."""
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "label": self.label,
            "required": self.required,
        }
        if self.required_if:
            other, expected = self.required_if
            out["required_if"] = {"field": other, "value": expected, "values": expected.split("|")}
        if self.max_length is not None:
            out["max_length"] = self.max_length
        if self.min_items is not None:
            out["min_items"] = self.min_items
        if self.options:
            out["options"] = [{"value": o.value, "label": o.label} for o in self.options]
        return out


@dataclass(frozen=True)
class Form:
    fields: tuple[FormField, ...] = ()

    def to_list(self) -> list[dict[str, Any]]:
        """Describe every field, in order."""
        return [f.to_dict() for f in self.fields]

    def needs_case_data(self) -> bool:
        """Does a requiredIf name a field this form lacks, so validating needs the case data?"""
        names = {f.name for f in self.fields}
        return any(f.required_if and f.required_if[0] not in names for f in self.fields)


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str


@dataclass
class Validated:
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)


def check_field_definition(f: FormField) -> list[str]:
    """List what is wrong with a field as declared in a diagram."""
    problems = []
    if not _NAME.match(f.name):
        problems.append(f"field name {f.name!r} must be an identifier not starting with '_'")
    if f.type not in FIELD_TYPES:
        problems.append(f"field {f.name!r} has unknown type {f.type!r}")
    if not f.label:
        problems.append(f"field {f.name!r} has no label")
    if f.type in ("enum", "enums") and not f.options:
        problems.append(f"{f.type} field {f.name!r} has no options")
    if f.max_length is not None and f.max_length <= 0:
        problems.append(f"field {f.name!r} has a maxLength that is not positive")
    if f.min_items is not None and (f.type not in ("enums", "departments") or f.min_items <= 0):
        problems.append(f"field {f.name!r}: minItems is a positive number for enums or departments fields")
    return problems


def validate(
    form: Form,
    submitted: Mapping[str, Any],
    departments: Collection[str],
    case_data: Mapping[str, Any] | None = None,
) -> Validated:
    """Check submitted data against a form; keep only declared fields, converted to their type.

    A requiredIf naming a field the form lacks looks it up in the case data (a policy's item type
    decides whether its publishing needs the interpretation's address, PUB-10).
    """
    result = Validated()
    if not isinstance(submitted, Mapping):
        result.errors.append(FieldError("data", "not_an_object", "提交的数据必须是一个对象"))
        return result
    for f in form.fields:
        value = submitted.get(f.name)
        if value is None or value == "" or value == []:
            if _is_required(f, submitted, form, case_data or {}):
                result.errors.append(FieldError(f.name, "required", f"请填写“{f.label}”"))
            continue
        converted = _convert(f, value, departments)
        if isinstance(converted, FieldError):
            result.errors.append(converted)
        else:
            result.data[f.name] = converted
    return result


def _is_required(f: FormField, submitted: Mapping[str, Any], form: Form, case: Mapping[str, Any]) -> bool:
    if f.required:
        return True
    if f.required_if:
        other, expected = f.required_if  # "mode=single|lead": required when mode is either
        source = submitted if any(g.name == other for g in form.fields) else case
        return str(source.get(other, "")) in expected.split("|")
    return False


def _convert(f: FormField, value: Any, departments: Collection[str]) -> Any:
    bad = FieldError(f.name, "invalid", f"“{f.label}”的格式不正确")
    if f.type in ("string", "text"):
        if not isinstance(value, str):
            return bad
        limit = f.max_length or DEFAULT_MAX_LENGTH[f.type]
        if len(value) > limit:
            return FieldError(f.name, "too_long", f"“{f.label}”不能超过{limit}个字")
        return value.strip() if f.type == "string" else value
    if f.type == "integer":
        return value if isinstance(value, int) and not isinstance(value, bool) else bad
    if f.type == "boolean":
        return value if isinstance(value, bool) else bad
    if f.type == "date":
        try:
            return date.fromisoformat(value).isoformat() if isinstance(value, str) else bad
        except ValueError:
            return bad
    if f.type == "departments":
        return _several(f, value, departments, bad, DEFAULT_MAX_LENGTH["departments"])
    if f.type == "enums":
        return _several(f, value, [o.value for o in f.options], bad, len(f.options))
    allowed = [o.value for o in f.options] if f.type == "enum" else departments
    if value not in allowed:
        return FieldError(f.name, "not_allowed", f"“{f.label}”的取值不在允许范围内")
    return value


def _several(f: FormField, value: Any, allowed: Collection[str], bad: FieldError, most: int) -> Any:
    """Several distinct values, each one allowed (departments, or the options of an enums field)."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        return bad
    limit = f.max_length or most
    if len(value) > limit:
        return FieldError(f.name, "too_many", f"“{f.label}”最多选择{limit}个")
    if f.min_items and len(value) < f.min_items:
        return FieldError(f.name, "too_few", f"“{f.label}”至少选择{f.min_items}个")
    if len(set(value)) != len(value):
        return FieldError(f.name, "duplicate", f"“{f.label}”中有重复的选项")
    if any(code not in allowed for code in value):
        return FieldError(f.name, "not_allowed", f"“{f.label}”的取值不在允许范围内")
    return list(value)
