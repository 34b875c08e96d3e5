"""Deadline markup: the case's deadline, task deadlines (also chosen by case data) and clock actions.

Diagrams never hold a number of days: they name a deadline of the active profile and say what a
task does to a case clock (docs/diagrams.md, "Deadlines").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from ..forms import Form, holds
from ..sla import DIAGRAM_ENDINGS
from .markup import GOVFLOW_NS, NSMAP, check_attributes, is_field_name, read_condition
from .problems import refuse

if TYPE_CHECKING:
    from .parser import ParsedDefinition

# \Z, not $: '$' also matches before a final newline, which an attribute can hold as '&#10;'.
DEADLINE_NAME = re.compile(r"\A[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\Z")
# The attributes each clock action takes, and what type of form field each field attribute names.
_CLOCK_ATTRIBUTES = {
    "pause": frozenset({"deadline", "action"}),
    "start": frozenset({"deadline", "action", "from", "fromReceipt", "when", "repeat"}),
    "watch": frozenset({"deadline", "action", "from", "when"}),
    "stop": frozenset({"deadline", "action", "when"}),
    "restart": frozenset({"deadline", "action", "from", "when"}),
    "extend": frozenset({"deadline", "action", "amountField", "reasonField", "maximum"}),
    "request_extension": frozenset({"deadline", "action", "amountField", "maximum", "when"}),
}
_CLOCK_FIELD_TYPES = {"from": ("date",), "amountField": ("integer",), "reasonField": ("string", "text")}
CLOCK_ACTIONS = tuple(_CLOCK_ATTRIBUTES)


@dataclass(frozen=True)
class CaseDeadline:
    """The case's own deadline: a profile name, counted from a date field (or the start date)."""

    name: str
    start_field: str | None
    latest_field: str | None = None  # a date field the deadline may not pass (PRO-1's transfer document)


@dataclass(frozen=True)
class TaskDeadlineStart:
    """Where a task's own deadline counts from: the day the task opens, or a date in the case data
    (a letter's receipt, MBX-1, NAT-2); and whether a task that comes round again (a fix sent
    back) continues the first round's count instead of starting anew (ERR-2)."""

    from_field: str | None = None
    repeat: str = "restart"  # or "continue"


REPEATS = ("restart", "continue")


@dataclass(frozen=True)
class ClockAction:
    """What a task does to a case deadline: pause it while open; stop, restart or extend it on completion.

    `request_extension` changes nothing: it refuses, when the task is completed, a request for more
    than the ceiling `maximum` still leaves (REQ-3, PET-3, NAT-6), before anyone approves it.
    """

    deadline: str
    action: str
    from_field: str | None = None
    amount_field: str | None = None
    reason_field: str | None = None
    maximum: str | None = None
    when: tuple[str, str] | None = None  # acts only if the completed form has field = value
    # A date field of the case the clock starts from instead when the profile's rule counts from
    # receipt (MBX-3, 002 §13(三): acceptance and reply together).
    receipt_field: str | None = None
    # A start that finds its clock already met: count anew (restart), or reopen it with its first
    # start and due date (continue: a fix that failed does not restart the clock, ERR-2).
    repeat: str = "restart"

    def applies(self, values: dict) -> bool:
        """Does this action apply to a task completed with these values?"""
        return self.when is None or holds(self.when, values)


def case_deadline(
    case: etree._Element, process: etree._Element, parsed: ParsedDefinition
) -> CaseDeadline | None:
    name = case.get("deadline") or None
    start, latest = case.get("deadlineFrom") or None, case.get("dueNoLaterThan") or None
    if name is None:
        if start is not None or latest is not None:
            raise refuse(
                process,
                "no_case_deadline",
                "govflow:case 写了 deadlineFrom 或 dueNoLaterThan，却没有 deadline："
                "请补上期限名称或删去这两个属性",
            )
        return None
    # The fields may be filled by a script, so they need not be on a form; where a form has one,
    # it must hold a date, or the case clock would never start (or never be held to the date).
    forms = [parsed.start_form, *parsed.forms.values()]
    for attribute, field_name in (("deadlineFrom", start), ("dueNoLaterThan", latest)):
        if field_name is None:
            continue
        kinds = {f.type for form in forms if form is not None for f in form.fields if f.name == field_name}
        if not is_field_name(field_name) or kinds - {"date"}:
            raise refuse(
                process,
                "not_a_date_field",
                f"govflow:case 的 {attribute}=“{field_name}”应是一个日期（date）字段的名称",
            )
    return CaseDeadline(_deadline_name(name, process), start, latest)


def read_deadlines(process: etree._Element, parsed: ParsedDefinition) -> None:
    _check_placement(process)
    case_fields = parsed.every_field()
    conditional: dict[str, list[tuple[str, tuple[str, str]]]] = {}
    owners: dict[str, etree._Element] = {}
    for el in process.iterfind(".//bpmn:extensionElements/govflow:deadline", NSMAP):
        owner = _task_owning(el, "govflow:deadline")
        task_id = owner.get("id")
        owners[task_id] = owner
        check_attributes(el, owner, frozenset({"name", "when", "from", "repeat"}), "govflow:deadline")
        name = _deadline_name(el.get("name"), owner)
        start = _task_deadline_start(el, owner, parsed)
        if start != TaskDeadlineStart():
            parsed.deadline_starts[(task_id, name)] = start
        when = read_condition(el.get("when"), owner, case_fields, "govflow:deadline", "本流程图某个表单")
        if when is not None:
            conditional.setdefault(task_id, []).append((name, when))
        elif task_id in parsed.task_deadlines:
            raise refuse(
                owner, "several_default_deadlines", "一个任务最多有一个不带 when 的 govflow:deadline"
            )
        else:
            parsed.task_deadlines[task_id] = name
    for task_id in sorted(conditional.keys() - parsed.task_deadlines.keys()):
        # Without a default, a case matching no condition would silently run without a deadline.
        raise refuse(
            owners[task_id],
            "no_default_deadline",
            "带 when 的 govflow:deadline 还需要一个不带 when 的，供其他情况使用",
        )
    parsed.conditional_deadlines = {task: tuple(found) for task, found in conditional.items()}
    actions: dict[str, list[ClockAction]] = {}
    for el in process.iterfind(".//bpmn:extensionElements/govflow:clock", NSMAP):
        owner = el.getparent().getparent()
        if etree.QName(owner).localname == "startEvent" and el.get("action") == "start":
            # A case clock chosen by what the case starts with (an item's type, PUB-13).
            form = parsed.start_form or Form()
            parsed.start_event = owner.get("id")
        else:
            owner = _task_owning(el, "govflow:clock")
            form = parsed.forms.get(owner.get("id"), Form())
        found = _clock_action(el, owner, form)
        if found.receipt_field is not None:
            _require_date_field(owner, parsed, "govflow:clock 的 fromReceipt", found.receipt_field)
        same = actions.setdefault(owner.get("id"), [])
        if any((a.deadline, a.action) == (found.deadline, found.action) for a in same):
            raise refuse(
                owner,
                "duplicate_clock",
                f"对期限 {found.deadline} 有两个 action=“{found.action}”的 govflow:clock，请删去一个",
            )
        same.append(found)
    parsed.clock_actions = {task: tuple(found) for task, found in actions.items()}


def _task_deadline_start(
    el: etree._Element, owner: etree._Element, parsed: ParsedDefinition
) -> TaskDeadlineStart:
    repeat = _repeat(el, owner, "govflow:deadline")
    field_name = el.get("from") or None
    if field_name is not None:
        _require_date_field(owner, parsed, "govflow:deadline 的 from", field_name)
    return TaskDeadlineStart(field_name, repeat)


def _require_date_field(owner: etree._Element, parsed: ParsedDefinition, what: str, field_name: str) -> None:
    # A date read from the case data: on some form of the diagram, and a date there.
    kinds = {f.type for f in parsed.every_field().fields if f.name == field_name}
    if not is_field_name(field_name) or kinds != {"date"}:
        message = f"{what}=“{field_name}”应是本流程图表单中一个日期（date）字段的名称"
        raise refuse(owner, "not_a_date_field", message)


def _check_placement(process: etree._Element) -> None:
    # Markup nested anywhere else (inside a form, or straight under the task) would be skipped
    # without a word, and the case would silently run without its deadline.
    for tag in ("deadline", "clock"):
        for el in process.iter(f"{{{GOVFLOW_NS}}}{tag}"):
            parent = el.getparent()
            if etree.QName(parent) != etree.QName(NSMAP["bpmn"], "extensionElements"):
                owner = next((a for a in el.iterancestors() if a.get("id")), process)
                raise refuse(
                    owner,
                    "markup_misplaced",
                    f"govflow:{tag} 须直接放在 bpmn:extensionElements 中，放在别处会被忽略",
                )


def _task_owning(el: etree._Element, what: str) -> etree._Element:
    owner = el.getparent().getparent()
    if etree.QName(owner).localname not in ("userTask", "manualTask"):
        raise refuse(
            owner,
            "not_on_a_task",
            f"{what} 只能写在用户任务或人工任务上（开始事件上只能写 action=“start”的 govflow:clock）",
        )
    return owner


def _repeat(el: etree._Element, owner: etree._Element, what: str) -> str:
    repeat = el.get("repeat") or "restart"
    if repeat not in REPEATS:
        raise refuse(
            owner, "invalid_repeat", f"{what} 的 repeat=“{repeat}”无效，应为 {'、'.join(REPEATS)} 之一"
        )
    return repeat


def _clock_action(el: etree._Element, owner: etree._Element, form: Form) -> ClockAction:
    action = el.get("action", "")
    if action not in CLOCK_ACTIONS:
        raise refuse(
            owner,
            "unknown_clock_action",
            f"govflow:clock 的 action=“{action}”无效，应为 {'、'.join(CLOCK_ACTIONS)} 之一",
        )
    check_attributes(el, owner, _CLOCK_ATTRIBUTES[action], f"action=“{action}”的 govflow:clock")
    found = ClockAction(
        deadline=_deadline_name(el.get("deadline"), owner),
        action=action,
        from_field=el.get("from") or None,
        receipt_field=el.get("fromReceipt") or None,
        repeat=_repeat(el, owner, "govflow:clock"),
        amount_field=el.get("amountField") or None,
        reason_field=el.get("reasonField") or None,
        maximum=_deadline_name(el.get("maximum"), owner) if el.get("maximum") else None,
        when=read_condition(el.get("when"), owner, form),
    )
    if action == "extend" and not (found.amount_field and found.reason_field and found.maximum):
        raise refuse(
            owner,
            "incomplete_extension",
            "action=“extend”的 govflow:clock 须同时写 amountField、reasonField 和 maximum",
        )
    if action == "request_extension" and not (found.amount_field and found.maximum):
        raise refuse(
            owner,
            "incomplete_extension",
            "action=“request_extension”的 govflow:clock 须同时写 amountField 和 maximum",
        )
    _check_clock_fields(el, owner, form)
    return found


_TYPE_NAMES = {
    "date": "日期（date）",
    "integer": "整数（integer）",
    "string": "单行文字（string）",
    "text": "多行文字（text）",
}


def _check_clock_fields(el: etree._Element, owner: etree._Element, form: Form) -> None:
    # The service reads these fields from the completed task's data: a missing field or one of
    # another type would make the action silently do nothing.
    types = {f.name: f.type for f in form.fields}
    for attribute, kinds in _CLOCK_FIELD_TYPES.items():
        name = el.get(attribute) or None
        if name is None:
            continue
        if name not in types:
            raise refuse(
                owner,
                "clock_field_missing",
                f"govflow:clock 的 {attribute}=“{name}”不是本任务表单中的字段",
            )
        if types[name] not in kinds:
            wanted = "或".join(_TYPE_NAMES[k] for k in kinds)
            raise refuse(
                owner,
                "clock_field_type",
                f"govflow:clock 的 {attribute}=“{name}”应是{wanted}字段，而不是 {types[name]}",
            )


def _deadline_name(value: str | None, owner: etree._Element) -> str:
    if not value or not DEADLINE_NAME.match(value):
        raise refuse(
            owner,
            "invalid_deadline_name",
            f"期限名称“{value or ''}”格式不对：应为“领域.名称”（小写字母、数字和下划线），"
            "如 disclosure.reply",
        )
    return value


OUTCOME = f"{{{GOVFLOW_NS}}}outcome"


def read_end_outcomes(process: etree._Element) -> dict[str, str]:
    """How each of the process's end events marked `govflow:outcome` closes the case's open clocks.

    An end event without the mark closes them as met (kept or late); abandoned, withdrawn and
    returned close them as such, not as kept (docs/diagrams.md, "How a case ends").
    """
    found: dict[str, str] = {}
    for el in process.iter():
        value = el.get(OUTCOME) if isinstance(el.tag, str) else None
        if value is None:
            continue
        if el.tag != f"{{{NSMAP['bpmn']}}}endEvent" or el.getparent() is not process:
            raise refuse(
                el if el.get("id") else next((a for a in el.iterancestors() if a.get("id")), process),
                "markup_misplaced",
                "govflow:outcome 只能写在流程本身的结束事件（bpmn:endEvent）上，子流程中的结束事件不结束案件",
            )
        if value not in DIAGRAM_ENDINGS:
            raise refuse(
                el,
                "unknown_outcome",
                f"govflow:outcome=“{value}”无效，应为 {'、'.join(DIAGRAM_ENDINGS)} 之一"
                "（管理员撤销的案件自动记为 cancelled，不写在流程图中）",
            )
        found[el.get("id")] = value
    return found
