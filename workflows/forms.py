"""Task forms: the fields a diagram declares and the validation of submitted data."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from .text import is_blank, text_problem

FIELD_TYPES = (
    *("string", "text", "integer", "boolean", "date", "enum", "enums", "department", "departments"),
    *("contact", "url"),  # a mobile number or e-mail address; an http(s) address
)
TEXT_TYPES = ("string", "text", "contact", "url")
# For `departments` (several department codes) maxLength caps how many may be chosen.
DEFAULT_MAX_LENGTH = {"string": 200, "text": 10000, "contact": 200, "url": 500, "departments": 20}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
# Dates a case can carry: nothing before the service's records begin, nothing the calendar cannot count.
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TODAY = "today"  # notAfter="today": a date that records something that has happened (a receipt)
MOBILE = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d{9}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    # Offered only when a field (of the same form, else of the case data) has this value, MBX-4: a
    # writer who refused publication is never published. why_not says so when it is chosen anyway.
    only_if: tuple[str, str] | None = None
    why_not: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Describe the option for the API and the pages."""
        out: dict[str, Any] = {"value": self.value, "label": self.label}
        if self.only_if:
            out["only_if"] = {"field": self.only_if[0], "value": self.only_if[1]}
            out["why_not"] = self.why_not
        return out


# The lists a string field may take suggestions from (suggestFrom): the service fills each.
SUGGESTION_LISTS: frozenset[str] = frozenset({"site_columns"})


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
    not_after: str | None = None  # for a date: "today" or an ISO date it may not pass
    after: str | None = None  # for a date: another date field of the form it must come after
    # profileOptions="publishing.item_types": the active profile's list of that name decides which of
    # the options are offered (workflows/profiles, OPTION_LISTS). The others are withheld: not shown,
    # and refused with the reason when chosen anyway.
    profile_options: str | None = None
    # suggestFrom="site_columns": a `string` field whose page control suggests values the service
    # keeps (the open columns of the register, COL-1); any text is still accepted (SUGGESTION_LISTS).
    suggest_from: str | None = None
    withheld: tuple[Option, ...] = ()
    withheld_because: str = ""

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
            out["options"] = [o.to_dict() for o in self.options]
        if self.type == "date":
            out["not_before"] = EARLIEST_DATE.isoformat()
            out["not_after"] = self.not_after or LATEST_DATE.isoformat()
            if self.after:
                out["after"] = self.after
        return out


@dataclass(frozen=True)
class Form:
    fields: tuple[FormField, ...] = ()

    def to_list(self) -> list[dict[str, Any]]:
        """Describe every field, in order."""
        return [f.to_dict() for f in self.fields]

    def needs_case_data(self) -> bool:
        """Does a requiredIf or an option's onlyIf name a field this form lacks (so the case data decides)?"""
        names = {f.name for f in self.fields}
        named = [f.required_if for f in self.fields] + [o.only_if for f in self.fields for o in f.options]
        return any(condition and condition[0] not in names for condition in named)

    def offered(self, case_data: Mapping[str, Any]) -> Form:
        """The form as a case shows it: options whose onlyIf the case data rules out are left out (MBX-4)."""
        names = {f.name for f in self.fields}

        def shown(o: Option) -> bool:
            return o.only_if is None or o.only_if[0] in names or _holds(o.only_if, case_data)

        return Form(tuple(replace(f, options=tuple(filter(shown, f.options))) for f in self.fields))

    def narrowed(self, offered: Callable[[str], Collection[str]], why_not: str) -> Form:
        """The form as a profile offers it: a profileOptions field keeps the options its list names.

        `offered` gives the values of a list by name; `why_not` is the reason a withheld one is refused.
        """
        if not any(f.profile_options for f in self.fields):
            return self

        def narrow(f: FormField) -> FormField:
            if not f.profile_options:
                return f
            values = set(offered(f.profile_options))
            kept = tuple(o for o in f.options if o.value in values)
            withheld = tuple(o for o in f.options if o.value not in values)
            return replace(f, options=kept, withheld=withheld, withheld_because=why_not)

        return Form(tuple(narrow(f) for f in self.fields))


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str


@dataclass
class Validated:
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)


def check_field_definition(f: FormField) -> list[FieldError]:
    """List what is wrong with a field as declared in a diagram (Chinese, for whoever edits it)."""
    problems = []
    named = f"表单字段“{f.name}”"

    def problem(code: str, message: str) -> None:
        problems.append(FieldError(f.name, code, message))

    if not _NAME.match(f.name):
        problem(
            "invalid_field_name", f"{named}的 name 应以英文字母开头，只含字母、数字和下划线（至多 64 个字符）"
        )
    if f.type not in FIELD_TYPES:
        problem("unknown_field_type", f"{named}的类型“{f.type}”无效，应为 {'、'.join(FIELD_TYPES)} 之一")
    if not f.label:
        problem("no_label", f"{named}没有 label：请写上办理人员看到的中文名称")
    if f.type in ("enum", "enums") and not f.options:
        problem("no_options", f"{named}是 {f.type} 类型，须用 govflow:option 列出可选项")
    if f.max_length is not None and f.max_length <= 0:
        problem("invalid_max_length", f"{named}的 maxLength 应为正整数")
    if f.min_items is not None and (f.type not in ("enums", "departments") or f.min_items <= 0):
        problem("invalid_min_items", f"{named}的 minItems 应为正整数，且只用于 enums 或 departments 字段")
    if (f.not_after is not None or f.after is not None) and f.type != "date":
        problem("date_bound_on_non_date", f"{named}不是日期字段，不能写 notAfter 或 after")
    if f.not_after not in (None, TODAY) and _iso_date(f.not_after) is None:
        problem("invalid_not_after", f"{named}的 notAfter 应为 today 或 YYYY-MM-DD 格式的日期")
    for o in f.options:
        if (o.only_if is None) != (not o.why_not):
            problem(
                "option_condition_incomplete",
                f"{named}的选项“{o.value}”须同时写 onlyIf 和 whyNot（拒绝时说明原因）",
            )
    return problems


def check_form_definition(form: Form) -> list[FieldError]:
    """List what is wrong with a form as a whole (a field one names that it lacks)."""
    dates = {f.name for f in form.fields if f.type == "date"}
    return [
        FieldError(
            f.name, "invalid_after", f"表单字段“{f.name}”的 after=“{f.after}”应是本表单中另一个日期字段的名称"
        )
        for f in form.fields
        if f.after is not None and (f.after not in dates or f.after == f.name)
    ]


def validate(
    form: Form,
    submitted: Mapping[str, Any],
    departments: Collection[str],
    case_data: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> Validated:
    """Check submitted data against a form: every declared field converted to its type, nothing else.

    A field the form does not have is refused by name (a misspelt field would otherwise surface as
    a required one missing). White space alone is no answer. A requiredIf naming a field the form
    lacks looks it up in the case data (a policy's item type decides whether its publishing needs
    the interpretation's address, PUB-10). `today` bounds dates marked notAfter="today".
    """
    result = Validated()
    if not isinstance(submitted, Mapping):
        result.errors.append(FieldError("data", "not_an_object", "提交的数据必须是一个对象"))
        return result
    known = {f.name for f in form.fields}
    for name in submitted:
        if name not in known:
            result.errors.append(FieldError(str(name), "unknown_field", f"表单中没有“{name}”这一项"))
    for f in form.fields:
        value = submitted.get(f.name)
        if is_blank(value):
            if _is_required(f, submitted, form, case_data or {}):
                result.errors.append(FieldError(f.name, "required", f"请填写“{f.label}”"))
            continue
        converted = _withheld(f, value) or _convert(f, value, departments, today)
        if not isinstance(converted, FieldError):
            converted = _not_offered(f, converted, submitted, form, case_data or {}) or converted
        if isinstance(converted, FieldError):
            result.errors.append(converted)
        else:
            result.data[f.name] = converted
    result.errors += _order_problems(form, result.data)
    return result


def _order_problems(form: Form, data: Mapping[str, Any]) -> list[FieldError]:
    labels = {f.name: f.label for f in form.fields}
    return [
        FieldError(f.name, "not_after_other", f"“{f.label}”应晚于“{labels[f.after]}”")
        for f in form.fields
        if f.after and f.name in data and f.after in data and data[f.name] <= data[f.after]
    ]


def _is_required(f: FormField, submitted: Mapping[str, Any], form: Form, case: Mapping[str, Any]) -> bool:
    if f.required:
        return True
    if f.required_if:
        return _holds(f.required_if, _source(f.required_if, submitted, form, case))
    return False


def _source(
    condition: tuple[str, str], submitted: Mapping[str, Any], form: Form, case: Mapping[str, Any]
) -> Mapping[str, Any]:
    """A condition reads the submitted data if the form holds its field, else the case data."""
    return submitted if any(g.name == condition[0] for g in form.fields) else case


def holds(condition: tuple[str, str], data: Mapping[str, Any]) -> bool:
    """Does `field=value` hold in the data? "mode=single|lead" holds when mode is either."""
    other, expected = condition
    return str(data.get(other, "")) in expected.split("|")


_holds = holds


def _withheld(f: FormField, value: Any) -> FieldError | None:
    """An option the active profile does not offer, chosen anyway (profileOptions)."""
    chosen = value if isinstance(value, list) else [value]
    for o in f.withheld:
        if o.value in chosen:
            return FieldError(
                f.name, "option_not_offered", f"“{f.label}”不能选择“{o.label}”：{f.withheld_because}"
            )
    return None


def _not_offered(
    f: FormField, value: Any, submitted: Mapping[str, Any], form: Form, case: Mapping[str, Any]
) -> FieldError | None:
    chosen = value if isinstance(value, list) else [value]
    for o in f.options:
        if (
            o.value in chosen
            and o.only_if
            and not _holds(o.only_if, _source(o.only_if, submitted, form, case))
        ):
            return FieldError(f.name, "option_not_available", f"“{f.label}”不能选择“{o.label}”：{o.why_not}")
    return None


def _convert(f: FormField, value: Any, departments: Collection[str], today: date | None) -> Any:
    bad = FieldError(f.name, "invalid", f"“{f.label}”的格式不正确")
    if f.type in TEXT_TYPES:
        return _text(f, value, bad)
    if f.type == "integer":
        return value if isinstance(value, int) and not isinstance(value, bool) else bad
    if f.type == "boolean":
        return value if isinstance(value, bool) else bad
    if f.type == "date":
        return _date(f, value, bad, today)
    if f.type == "departments":
        return _several(f, value, departments, bad, DEFAULT_MAX_LENGTH["departments"])
    if f.type == "enums":
        return _several(f, value, [o.value for o in f.options], bad, len(f.options))
    allowed = [o.value for o in f.options] if f.type == "enum" else departments
    if value not in allowed:
        return FieldError(f.name, "not_allowed", f"“{f.label}”的取值不在允许范围内")
    return value


def _text(f: FormField, value: Any, bad: FieldError) -> Any:
    if not isinstance(value, str):
        return bad
    problem = text_problem(value)
    if problem:
        return FieldError(f.name, "invalid_text", f"“{f.label}”{problem}")
    limit = f.max_length or DEFAULT_MAX_LENGTH[f.type]
    if len(value) > limit:
        return FieldError(f.name, "too_long", f"“{f.label}”不能超过{limit}个字")
    if f.type == "text":
        return value
    value = value.strip()
    if f.type == "contact" and not (MOBILE.match(value) or EMAIL.match(value)):
        return FieldError(f.name, "invalid_contact", f"“{f.label}”应为手机号码或电子邮箱地址")
    if f.type == "url" and not _is_web_address(value):
        return FieldError(f.name, "invalid_url", f"“{f.label}”应为以 http:// 或 https:// 开头的网址")
    return value


def _is_web_address(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in value)


def _iso_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _date(f: FormField, value: Any, bad: FieldError, today: date | None) -> Any:
    day = _iso_date(value) if isinstance(value, str) and ISO_DAY.match(value) else None
    if day is None:  # YYYY-MM-DD only, not the week (2026-W10-1) or ordinal forms
        return bad
    latest = today if f.not_after == TODAY else _iso_date(f.not_after)
    if f.not_after == TODAY and today is None:
        raise ValueError(f"field {f.name!r} is bounded by today: validate() needs today")
    latest = min(latest or LATEST_DATE, LATEST_DATE)
    if day < EARLIEST_DATE:
        return FieldError(f.name, "too_early", f"“{f.label}”不能早于{EARLIEST_DATE.isoformat()}")
    if day > latest:
        bound = f"今天（{latest.isoformat()}）" if f.not_after == TODAY else latest.isoformat()
        return FieldError(f.name, "too_late", f"“{f.label}”不能晚于{bound}")
    return day.isoformat()


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
