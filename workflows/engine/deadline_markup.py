"""Deadline markup: the case's deadline, task deadlines (also chosen by case data) and clock actions.

Diagrams never hold a number of days: they name a deadline of the active profile and say what a
task does to a case clock (docs/diagrams.md, "Deadlines").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from ..forms import Form
from .markup import GOVFLOW_NS, NSMAP, DiagramError, check_attributes, is_field_name, read_condition

if TYPE_CHECKING:
    from .parser import ParsedDefinition

# \Z, not $: '$' also matches before a final newline, which an attribute can hold as '&#10;'.
DEADLINE_NAME = re.compile(r"\A[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\Z")
# The attributes each clock action takes, and what type of form field each field attribute names.
_CLOCK_ATTRIBUTES = {
    "pause": frozenset({"deadline", "action"}),
    "start": frozenset({"deadline", "action", "from", "when"}),
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

    def applies(self, values: dict) -> bool:
        """Does this action apply to a task completed with these values?"""
        return self.when is None or str(values.get(self.when[0], "")) == self.when[1]


def case_deadline(case: etree._Element, process_id: str, parsed: ParsedDefinition) -> CaseDeadline | None:
    name = case.get("deadline") or None
    start, latest = case.get("deadlineFrom") or None, case.get("dueNoLaterThan") or None
    if name is None:
        if start is not None or latest is not None:
            raise DiagramError(f"element {process_id!r}: deadlineFrom and dueNoLaterThan need a deadline")
        return None
    # The fields may be filled by a script, so they need not be on a form; where a form has one,
    # it must hold a date, or the case clock would never start (or never be held to the date).
    forms = [parsed.start_form, *parsed.forms.values()]
    for attribute, field_name in (("deadlineFrom", start), ("dueNoLaterThan", latest)):
        if field_name is None:
            continue
        kinds = {f.type for form in forms if form is not None for f in form.fields if f.name == field_name}
        if not is_field_name(field_name) or kinds - {"date"}:
            raise DiagramError(f"element {process_id!r}: {attribute}={field_name!r} must name a date field")
    return CaseDeadline(_deadline_name(name, process_id), start, latest)


def read_deadlines(process: etree._Element, parsed: ParsedDefinition) -> None:
    _check_placement(process)
    case_fields = parsed.every_field()
    conditional: dict[str, list[tuple[str, tuple[str, str]]]] = {}
    for el in process.iterfind(".//bpmn:extensionElements/govflow:deadline", NSMAP):
        task_id = _task_owning(el, "govflow:deadline").get("id")
        check_attributes(el, task_id, frozenset({"name", "when"}), "govflow:deadline")
        name = _deadline_name(el.get("name"), task_id)
        when = read_condition(el.get("when"), task_id, case_fields, "deadline", "a form of the diagram")
        if when is not None:
            conditional.setdefault(task_id, []).append((name, when))
        elif task_id in parsed.task_deadlines:
            raise DiagramError(f"element {task_id!r}: a task has at most one govflow:deadline without when")
        else:
            parsed.task_deadlines[task_id] = name
    for task_id in sorted(conditional.keys() - parsed.task_deadlines.keys()):
        # Without a default, a case matching no condition would silently run without a deadline.
        raise DiagramError(f"element {task_id!r}: deadlines with when need one without, for every other case")
    parsed.conditional_deadlines = {task: tuple(found) for task, found in conditional.items()}
    actions: dict[str, list[ClockAction]] = {}
    for el in process.iterfind(".//bpmn:extensionElements/govflow:clock", NSMAP):
        owner = el.getparent().getparent()
        if etree.QName(owner).localname == "startEvent" and el.get("action") == "start":
            # A case clock chosen by what the case starts with (an item's type, PUB-13).
            task_id, form = owner.get("id"), parsed.start_form or Form()
            parsed.start_event = task_id
        else:
            task_id = _task_owning(el, "govflow:clock").get("id")
            form = parsed.forms.get(task_id, Form())
        found = _clock_action(el, task_id, form)
        same = actions.setdefault(task_id, [])
        if any((a.deadline, a.action) == (found.deadline, found.action) for a in same):
            raise DiagramError(f"element {task_id!r}: two {found.action} clocks for {found.deadline!r}")
        same.append(found)
    parsed.clock_actions = {task: tuple(found) for task, found in actions.items()}


def _check_placement(process: etree._Element) -> None:
    # Markup nested anywhere else (inside a form, or straight under the task) would be skipped
    # without a word, and the case would silently run without its deadline.
    for tag in ("deadline", "clock"):
        for el in process.iter(f"{{{GOVFLOW_NS}}}{tag}"):
            parent = el.getparent()
            if etree.QName(parent) != etree.QName(NSMAP["bpmn"], "extensionElements"):
                owner = next((a for a in el.iterancestors() if a.get("id")), process)
                raise DiagramError(
                    f"element {owner.get('id')!r}: govflow:{tag} must sit directly in bpmn:extensionElements"
                )


def _task_owning(el: etree._Element, what: str) -> etree._Element:
    owner = el.getparent().getparent()
    if etree.QName(owner).localname not in ("userTask", "manualTask"):
        raise DiagramError(
            f"element {owner.get('id')!r}: {what} belongs on a user or manual task"
            " (a start event takes only start clocks)"
        )
    return owner


def _clock_action(el: etree._Element, task_id: str, form: Form) -> ClockAction:
    action = el.get("action", "")
    if action not in CLOCK_ACTIONS:
        raise DiagramError(
            f"element {task_id!r}: clock action {action!r} is not one of {list(CLOCK_ACTIONS)}"
        )
    check_attributes(el, task_id, _CLOCK_ATTRIBUTES[action], f"a {action} clock")
    found = ClockAction(
        deadline=_deadline_name(el.get("deadline"), task_id),
        action=action,
        from_field=el.get("from") or None,
        amount_field=el.get("amountField") or None,
        reason_field=el.get("reasonField") or None,
        maximum=_deadline_name(el.get("maximum"), task_id) if el.get("maximum") else None,
        when=read_condition(el.get("when"), task_id, form),
    )
    if action == "extend" and not (found.amount_field and found.reason_field and found.maximum):
        raise DiagramError(f"element {task_id!r}: an extend clock needs amountField, reasonField and maximum")
    if action == "request_extension" and not (found.amount_field and found.maximum):
        raise DiagramError(f"element {task_id!r}: a request_extension clock needs amountField and maximum")
    _check_clock_fields(el, task_id, form)
    return found


def _check_clock_fields(el: etree._Element, task_id: str, form: Form) -> None:
    # The service reads these fields from the completed task's data: a missing field or one of
    # another type would make the action silently do nothing.
    types = {f.name: f.type for f in form.fields}
    for attribute, kinds in _CLOCK_FIELD_TYPES.items():
        name = el.get(attribute) or None
        if name is None:
            continue
        if name not in types:
            raise DiagramError(
                f"element {task_id!r}: clock {attribute}={name!r} is not a field of the task's form"
            )
        if types[name] not in kinds:
            raise DiagramError(
                f"element {task_id!r}: clock {attribute}={name!r} must be a field of type"
                f" {' or '.join(kinds)}, not {types[name]}"
            )


def _deadline_name(value: str | None, element_id: str | None) -> str:
    if not value or not DEADLINE_NAME.match(value):
        raise DiagramError(f"element {element_id!r}: deadline name {value!r} must look like 'area.name'")
    return value
