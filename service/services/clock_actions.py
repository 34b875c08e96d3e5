"""What tasks do to the case clocks their diagram names: pause while open; start, stop, restart or
extend on completion (REQ-3, REQ-4, NAT-2, NAT-5, NAT-6, MBX-3, PUB-13). Works in the caller's transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflows.engine.parser import ClockAction, ParsedDefinition
from workflows.periods import Period, Unit
from workflows.sla import grant_extension

from ..errors import invalid
from ..models import Deadline, HumanTask, ProcessInstance
from . import clocks
from .calendar import current_calendar
from .clocks import OPEN, Note
from .engine import engine, now
from .writes import versioned_update


def task_opened(instance: ProcessInstance, parsed: ParsedDefinition, spec_name: str) -> None:
    """A task whose diagram says `pause` stops the named case clock while it is open (REQ-4, NAT-5)."""
    for action in parsed.clock_actions.get(spec_name, ()):
        if action.action == "pause":
            clocks.change_case_clock(instance, action.deadline, lambda clock: _pause(clock))


def task_closed(
    instance: ProcessInstance,
    parsed: ParsedDefinition,
    task: HumanTask,
    values: dict[str, Any] | None,
) -> list[tuple[str, dict[str, Any]]]:
    """A task completed (values given) or cancelled: close its clock, carry out its clock actions.

    Returns history lines (kind, details) for what changed on the case clock.
    """
    outcome = "met" if values is not None else "cancelled"
    if clocks.spec_has_clock(parsed, task.task_spec):
        clocks.close("task_id", task.id, outcome)
    notes: list[tuple[str, dict[str, Any]]] = []
    for action in parsed.clock_actions.get(task.task_spec, ()):
        if action.action == "pause":
            clocks.change_case_clock(instance, action.deadline, _resume)
        elif values is not None and action.applies(values):
            note = _ON_COMPLETION[action.action](instance, action, values)
            if note:
                notes.append(note)
    return notes


def case_started(instance: ProcessInstance, parsed: ParsedDefinition, values: dict[str, Any]) -> list[Note]:
    """Start the clocks the start event names for what the case starts with (PUB-13's item types)."""
    notes = []
    for action in parsed.clock_actions.get(parsed.start_event or "", ()):
        note = _start(instance, action, values) if action.applies(values) else None
        if note:
            notes.append(note)
    return notes


def _begin(action: ClockAction, values: dict[str, Any]) -> date:
    start = clocks.date_value(values.get(action.from_field)) if action.from_field else None
    return start or clocks.today()


def _start(instance: ProcessInstance, action: ClockAction, values: dict[str, Any]) -> Note | None:
    """A case clock that starts at a milestone (a letter dispatched to its department, MBX-3)."""
    if clocks.case_clock(instance, action.deadline) is not None:
        return None  # running already: sent on again, as with a transfer, the count goes on (ESC-3)
    if clocks.case_clock(instance, action.deadline, ("met",)) is not None:
        return _restart_clock(instance, action, values)
    begin = _begin(action, values)
    calendar, profile = current_calendar(), engine().profile
    period = profile.deadline(action.deadline).period
    sched = clocks.schedule(calendar, profile, begin, period, [])
    clocks.insert_clock(instance.id, None, action.deadline, period, begin, sched)
    versioned_update(instance, **clocks.case_columns(sched))
    clocks.mirror(instance.id, sched)
    return ("deadline_started", {"deadline": action.deadline, "from": begin.isoformat()})


def _stop_clock(instance: ProcessInstance, action: ClockAction, values: dict[str, Any]) -> Note | None:
    return ("deadline_stopped", {"deadline": action.deadline}) if _stop(instance, action.deadline) else None


def _restart_clock(instance: ProcessInstance, action: ClockAction, values: dict[str, Any]) -> Note | None:
    clock = clocks.case_clock(instance, action.deadline, (*OPEN, "met"))
    if clock is None:
        return None
    begin = _begin(action, values)
    clocks.change_case_clock(instance, action.deadline, lambda c: _restart(c, begin), clock)
    return ("deadline_restarted", {"deadline": action.deadline, "from": begin.isoformat()})


def _extend(instance: ProcessInstance, action: ClockAction, values: dict[str, Any]) -> Note | None:
    # The parser refuses an extend clock without these three.
    assert action.amount_field and action.reason_field and action.maximum
    amount = values.get(action.amount_field) or 0
    if not isinstance(amount, int) or amount <= 0:
        return None
    reason = (values.get(action.reason_field) or "").strip()
    if not reason:
        error = {"field": action.reason_field, "code": "required", "message": "延期须填写理由"}
        raise invalid("延期须填写理由", [error])
    clock = clocks.case_clock(instance, action.deadline)
    if clock is None:
        return None
    ceiling = engine().profile.deadline(action.maximum).period
    grant = grant_extension(
        Period(amount, Unit(clock.unit)), Period(clock.extension, Unit(clock.unit)), ceiling
    )
    details = {
        "deadline": action.deadline,
        "requested": Period(amount, Unit(clock.unit)).label,
        "granted": grant.granted.label,
        "capped": grant.capped,
        "reason": reason,
    }
    if grant.granted.amount == 0:
        # The ceiling is used up: nothing changes and the applicant is not told of a 0-day extension.
        return ("extension_exhausted", details)
    clocks.change_case_clock(
        instance, action.deadline, lambda c: {"extension": c.extension + grant.granted.amount}, clock
    )
    return ("deadline_extended", details)


_ON_COMPLETION = {"start": _start, "stop": _stop_clock, "restart": _restart_clock, "extend": _extend}


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
        "latest_on": None,
        "extension": 0,
    }


def _stop(instance: ProcessInstance, name: str) -> bool:
    """The case clock is met at this milestone (the reply went out): no more reminders or escalation."""
    clock = clocks.case_clock(instance, name)
    if clock is None:
        return False
    versioned_update(clock, status="met", next_action_at=None, closed_at=now())
    versioned_update(instance, due_at=None, remind_at=None, due_provisional=False, clock_paused=False)
    clocks.mirror(instance.id, None)
    clocks.mirror_level(instance.id, 0)
    return True
