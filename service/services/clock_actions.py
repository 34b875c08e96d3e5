"""What tasks do to the case clocks their diagram names: pause while open; start, stop, restart or
extend on completion, and refuse an extension request beyond the ceiling (REQ-3, REQ-4, NAT-2, NAT-5,
NAT-6, MBX-3, PUB-13). Works in the caller's transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflows.engine.parser import ClockAction, ParsedDefinition
from workflows.periods import Period, Unit
from workflows.sla import ExtensionTooLong, grant_extension

from ..errors import ServiceError, invalid
from ..models import Deadline, HumanTask, ProcessInstance
from ..models.events import EventKind
from . import clocks
from .calendar import current_calendar
from .clocks import OPEN, Note
from .engine import engine, now
from .unit import event
from .writes import versioned_update


def task_opened(
    instance: ProcessInstance,
    parsed: ParsedDefinition,
    spec_name: str,
    task_id: int | None = None,
    name: str = "",
) -> None:
    """A task whose diagram says `pause` stops the named case clock while it is open (REQ-4, NAT-5);
    the history says so, naming the step as the reason (the public status page shows it)."""
    for action in parsed.clock_actions.get(spec_name, ()):
        if action.action == "pause" and pause_case_clock(instance, action.deadline):
            details = {"deadline": action.deadline, "task": name, "task_spec": spec_name}
            event(instance, None, EventKind.DEADLINE_PAUSED, task_id, details)


def pause_case_clock(instance: ProcessInstance, name: str) -> bool:
    """Stop the named case clock from today until it is resumed (a no-op if it is stopped already)."""
    return clocks.change_case_clock(instance, name, _pause)


def resume_case_clock(instance: ProcessInstance, name: str) -> bool:
    """Let the named case clock run again from today (a no-op if it is running)."""
    return clocks.change_case_clock(instance, name, _resume)


def task_closed(
    instance: ProcessInstance,
    parsed: ParsedDefinition,
    task: HumanTask,
    values: dict[str, Any] | None,
    case_data: dict[str, Any] | None = None,
) -> list[Note]:
    """A task completed (values given) or cancelled: close its clock, carry out its clock actions.

    `case_data` is the case as the step leaves it: a clock counting from receipt reads the date there.
    Returns history lines (kind, details) for what changed on the case clock.
    """
    outcome = "met" if values is not None else "cancelled"
    if clocks.spec_has_clock(parsed, task.task_spec):
        clocks.close("task_id", task.id, outcome)
    notes: list[Note] = []
    for action in parsed.clock_actions.get(task.task_spec, ()):
        if action.action == "pause":
            if resume_case_clock(instance, action.deadline):
                details = {"deadline": action.deadline, "task": task.name, "task_spec": task.task_spec}
                event(instance, None, EventKind.DEADLINE_RESUMED, task, details)
        elif values is not None and action.applies(values):
            note = _ON_COMPLETION[action.action](instance, action, values, case_data or values)
            if note:
                notes.append(note)
    return notes


def case_started(instance: ProcessInstance, parsed: ParsedDefinition, values: dict[str, Any]) -> list[Note]:
    """Start the clocks the start event names for what the case starts with (PUB-13's item types)."""
    notes = []
    for action in parsed.clock_actions.get(parsed.start_event or "", ()):
        note = _start(instance, action, values, values) if action.applies(values) else None
        if note:
            notes.append(note)
    return notes


def _begin(action: ClockAction, values: dict[str, Any]) -> date:
    start = clocks.date_value(values.get(action.from_field)) if action.from_field else None
    return start or clocks.today()


def _start_day(action: ClockAction, values: dict[str, Any], case_data: dict[str, Any]) -> date:
    """The milestone's date, or the receipt's where the profile counts this deadline from receipt
    (MBX-3, 002 §13(三): acceptance and reply together); never later than today."""
    rule = engine().profile.deadline(action.deadline)
    if rule.from_receipt and action.receipt_field:
        received = clocks.date_value(case_data.get(action.receipt_field))
        if received is not None:
            return min(received, clocks.today())
    return _begin(action, values)


def _start(
    instance: ProcessInstance, action: ClockAction, values: dict[str, Any], case_data: dict[str, Any]
) -> Note | None:
    """A case clock that starts at a milestone (a letter dispatched to its department, MBX-3)."""
    if clocks.case_clock(instance, action.deadline) is not None:
        return None  # running already: sent on again, as with a transfer, the count goes on (ESC-3)
    met = clocks.case_clock(instance, action.deadline, ("met",))
    if met is not None and action.repeat == "continue":
        # The same count goes on from its first start: a fix that failed is as late as it was (ERR-2).
        clocks.change_case_clock(instance, action.deadline, _reopen, met)
        return (
            EventKind.DEADLINE_CONTINUED,
            {"deadline": action.deadline, "from": met.started_on.isoformat()},
        )
    if met is not None:
        return _restart_clock(instance, action, values, case_data)
    begin = _start_day(action, values, case_data)
    calendar, profile = current_calendar(), engine().profile
    terms = profile.deadline(action.deadline).terms
    sched = clocks.schedule(calendar, profile, begin, terms, [])
    clocks.insert_clock(instance.id, None, action.deadline, terms, begin, sched)
    versioned_update(instance, **clocks.case_columns(sched))
    clocks.mirror(instance.id, sched)
    return (EventKind.DEADLINE_STARTED, {"deadline": action.deadline, "from": begin.isoformat()})


def _watch(
    instance: ProcessInstance, action: ClockAction, values: dict[str, Any], case_data: dict[str, Any]
) -> Note | None:
    """A waiting clock: what someone outside the staff has to do in time (a petitioner's request
    window, the higher organ's review, NAT-5), shown on the case but never reminded or escalated."""
    if clocks.case_clock(instance, action.deadline) is not None:
        return None
    begin = _begin(action, values)
    calendar, profile = current_calendar(), engine().profile
    terms = profile.deadline(action.deadline).terms
    sched = clocks.schedule(calendar, profile, begin, terms, [], waiting=True)
    clocks.insert_clock(instance.id, None, action.deadline, terms, begin, sched, waiting=True)
    return (
        EventKind.DEADLINE_STARTED,
        {"deadline": action.deadline, "from": begin.isoformat(), "waiting": True},
    )


def _stop_clock(
    instance: ProcessInstance, action: ClockAction, values: dict[str, Any], case_data: dict[str, Any]
) -> Note | None:
    return (
        (EventKind.DEADLINE_STOPPED, {"deadline": action.deadline})
        if _stop(instance, action.deadline)
        else None
    )


def _restart_clock(
    instance: ProcessInstance, action: ClockAction, values: dict[str, Any], case_data: dict[str, Any]
) -> Note | None:
    clock = clocks.case_clock(instance, action.deadline, (*OPEN, "met"))
    if clock is None:
        return None
    begin = _begin(action, values)
    clocks.change_case_clock(instance, action.deadline, lambda c: _restart(c, begin), clock)
    return (EventKind.DEADLINE_RESTARTED, {"deadline": action.deadline, "from": begin.isoformat()})


def _extend(
    instance: ProcessInstance, action: ClockAction, values: dict[str, Any], case_data: dict[str, Any]
) -> Note | None:
    # The parser refuses an extend clock without these three.
    assert action.amount_field and action.reason_field and action.maximum
    amount = _amount(action, values)
    if not amount:
        return None  # 0: the extension is not approved
    reason = (values.get(action.reason_field) or "").strip()
    if not reason:
        error = {"field": action.reason_field, "code": "required", "message": "延期须填写理由"}
        raise invalid("延期须填写理由", [error])
    clock = clocks.case_clock(instance, action.deadline)
    if clock is None:
        return None
    granted = _within_ceiling(clock, action, amount)
    details = {"deadline": action.deadline, "granted": granted.label, "reason": reason}
    clocks.change_case_clock(
        instance, action.deadline, lambda c: {"extension": c.extension + granted.amount}, clock
    )
    return (EventKind.DEADLINE_EXTENDED, details)


def _request_extension(
    instance: ProcessInstance, action: ClockAction, values: dict[str, Any], case_data: dict[str, Any]
) -> Note | None:
    """Asking for more than the ceiling leaves is refused where it is asked, not at the approval."""
    amount = _amount(action, values)
    clock = clocks.case_clock(instance, action.deadline)
    if amount is None or clock is None:
        return None
    if amount == 0:
        raise _refused(action, "not_positive", "申请延长的期限必须大于0")
    _within_ceiling(clock, action, amount)
    return None


def _amount(action: ClockAction, values: dict[str, Any]) -> int | None:
    amount = values.get(action.amount_field or "")
    if isinstance(amount, int) and amount < 0:
        raise _refused(action, "negative", "延长的期限不能为负数")
    return amount if isinstance(amount, int) else None


def _within_ceiling(clock: Deadline, action: ClockAction, amount: int) -> Period:
    """The extension as asked if all extensions stay within the ceiling, else a 422 saying what is left."""
    assert action.maximum
    unit = Unit(clock.unit)
    ceiling = engine().profile.deadline(action.maximum).period
    try:
        return grant_extension(Period(amount, unit), Period(clock.extension, unit), ceiling)
    except ExtensionTooLong as err:
        code, left = (
            ("extension_too_long", f"最多还可延长{err.room.label}")
            if err.room.amount
            else ("extension_exhausted", "已全部用完，不能再延期")
        )
        raise _refused(action, code, f"延长期限合计不得超过{ceiling.label}，{left}") from err


def _refused(action: ClockAction, code: str, message: str) -> ServiceError:
    return invalid(message, [{"field": action.amount_field, "code": code, "message": message}], code)


_ON_COMPLETION = {
    "start": _start,
    "watch": _watch,
    "stop": _stop_clock,
    "restart": _restart_clock,
    "extend": _extend,
    "request_extension": _request_extension,
}


def _pause(clock: Deadline) -> dict[str, Any]:
    pauses = list(clock.pauses)
    if pauses and pauses[-1][1] is None:
        return {}
    # A receipt date registered as later than today must not put the pause before the count starts.
    return {"pauses": [*pauses, [max(clocks.today(), clock.started_on).isoformat(), None]]}


def _resume(clock: Deadline) -> dict[str, Any]:
    pauses = [list(p) for p in clock.pauses]
    if not pauses or pauses[-1][1] is not None:
        return {}
    pauses[-1][1] = max(clocks.today(), date.fromisoformat(pauses[-1][0])).isoformat()
    return {"pauses": pauses}


def _reopen(clock: Deadline) -> dict[str, Any]:
    # Start, pauses, extension and the reminders and escalations already made stay as they were.
    return {"closed_at": None, "on_time": None, "late_by": None}


def _restart(clock: Deadline, begin: date) -> dict[str, Any]:
    # NAT-2: the count starts again from the corrected request; earlier pauses no longer matter.
    # A clock stopped at a milestone runs again (a proposal answered anew after the deputy's
    # dissatisfaction), as if it had just started: a transfer document's date no longer holds it,
    # and an earlier extension was for the earlier count.
    return {
        "started_on": begin,
        "pauses": [],
        "reminded_at": None,
        "level": 0,
        "closed_at": None,
        "on_time": None,
        "late_by": None,
        "latest_on": None,
        "extension": 0,
    }


def _stop(instance: ProcessInstance, name: str) -> bool:
    """The case clock is met at this milestone (the reply went out): no more reminders or escalation."""
    clock = clocks.case_clock(instance, name)
    if clock is None:
        return False
    closed_at = now()
    closed = clocks.closing(clock, "met", closed_at, current_calendar())
    versioned_update(clock, status="met", next_action_at=None, closed_at=closed_at, **closed)
    if clock.waiting:
        return True  # the case's own due date and its tasks are not this clock's
    versioned_update(instance, due_at=None, remind_at=None, due_provisional=False, clock_paused=False)
    clocks.mirror(instance.id, None)
    clocks.mirror_level(instance.id, 0)
    return True
