"""The running deadlines of cases and tasks: start, pause, restart, extend, close and recompute.

Diagrams name deadlines (`disclosure.reply`); the active profile gives the numbers; the calendar
turns them into days (ESC-2). Every function here works inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, or_, select, update

from workflows.calendar import WorkCalendar
from workflows.engine.parser import ParsedDefinition
from workflows.periods import Period, Unit
from workflows.profiles import Profile
from workflows.sla import Binds, Pause, Terms, compute_dues, kept, milestones

from ..extensions import db
from ..models import Deadline, HumanTask, ProcessInstance
from ..models.events import EventKind
from .calendar import current_calendar
from .engine import engine, now
from .writes import insert_rows, versioned_update

OPEN = ("running", "paused")
Note = tuple[EventKind, dict[str, Any]]  # a line for the case history: kind, details


@dataclass(frozen=True)
class Schedule:
    """What a clock's rule, start, pauses and extension come to on the calendar in force."""

    due_on: date | None
    due_at: datetime | None
    provisional: bool
    remind_at: datetime | None
    escalate_at: tuple[datetime, ...]
    status: str
    ceiling_on: date | None = None  # the ceiling's date, and a local target's, when running
    target_on: date | None = None

    def next_action(self, reminded: bool, level: int) -> datetime | None:
        """The next reminder or escalation moment still to act on (None when paused or done)."""
        if self.status != "running":
            return None
        pending = list(self.escalate_at[level:])
        if self.remind_at is not None and not reminded:
            pending.append(self.remind_at)
        return min(pending, default=None)


def _row_terms(clock: Any) -> Terms:
    target = None
    if clock.target_unit is not None and clock.target_amount is not None:
        target = Period(clock.target_amount, Unit(clock.target_unit))
    return Terms(Period(clock.amount, Unit(clock.unit)), target, clock.rolls)


def schedule(
    calendar: WorkCalendar,
    profile: Profile,
    start: date,
    terms: Terms,
    pauses: list[Pause],
    extension: int = 0,
    latest: date | None = None,
    waiting: bool = False,
) -> Schedule:
    """Due day and moment, reminder and escalation moments of one clock.

    With a local target beside the ceiling the earlier date binds: the reminder and escalation
    follow it (PET-2); both dates are kept for display.
    """
    extra = Period(extension, terms.period.unit) if extension else None
    dues = compute_dues(calendar, start, terms, pauses=pauses, extension=extra, latest=latest)
    due = dues.binding
    if due.paused or due.day is None or due.at is None:
        return Schedule(None, None, False, None, (), "paused")
    target_on = dues.target.day if dues.target is not None else None
    if waiting:
        return Schedule(due.day, due.at, due.provisional, None, (), "running", dues.ceiling.day, target_on)
    marks = milestones(
        calendar, due.day, remind_before=profile.remind_before, escalate_after=profile.escalate_after
    )
    # A reminder whose moment lies before the clock started would greet a new task with 催办;
    # one at or after the deadline (a due day on a holiday) would come too late to help.
    remind_at = marks.remind_at if calendar.close_of(start) <= marks.remind_at < due.at else None
    return Schedule(
        due.day, due.at, due.provisional, remind_at, marks.escalate_at, "running", dues.ceiling.day, target_on
    )


def binds(clock: Any) -> str | None:
    """Which date holds a clock with a local target: 'target' or 'ceiling' (None without a target)."""
    if clock.target_unit is None:
        return None
    earlier = clock.target_due_on is not None and clock.due_on == clock.target_due_on != clock.ceiling_due_on
    return Binds.TARGET.value if earlier else Binds.CEILING.value


def today(calendar: WorkCalendar | None = None) -> date:
    """Today's date in Beijing on the service clock."""
    return (calendar or current_calendar()).day_of(now())


@dataclass(frozen=True)
class TaskClock:
    """The clock a new task gets: its deadline name, terms, start, schedule, and what it carries
    over from the task's first round when it continues that count (ERR-2)."""

    name: str
    terms: Terms
    start: date
    sched: Schedule
    reminded_at: datetime | None = None
    level: int = 0


def task_schedule(
    parsed: ParsedDefinition, spec_name: str, data: dict[str, Any], instance_id: int | None = None
) -> TaskClock | None:
    """The deadline a new task of this spec gets, if its diagram names one.

    Counted from the day the task opens, or from the date field its markup names (a receipt,
    MBX-1, NAT-2; never later than today); a task that comes round again with repeat="continue"
    keeps its first round's start and terms, so a failed fix does not restart the clock (ERR-2).
    """
    name = parsed.task_deadline(spec_name, data)
    if name is None:
        return None
    calendar, profile = current_calendar(), engine().profile
    how = parsed.deadline_start(spec_name, name)
    first = _first_round(instance_id, spec_name, name) if how.repeat == "continue" else None
    if first is not None:
        return continued(first)
    start = today(calendar)
    if how.from_field is not None:
        start = min(date_value(data.get(how.from_field)) or start, start)
    terms = profile.deadline(name).terms
    return TaskClock(name, terms, start, schedule(calendar, profile, start, terms, []))


def continued(earlier: Deadline) -> TaskClock:
    """A new task's clock that goes on with an earlier task's count: its start, terms, reminder and
    escalations (a task's next round, ERR-2; a step opened again after its withdrawal)."""
    calendar, profile = current_calendar(), engine().profile
    terms, start = _row_terms(earlier), earlier.started_on
    sched = schedule(calendar, profile, start, terms, [])
    return TaskClock(earlier.name, terms, start, sched, earlier.reminded_at, earlier.level)


def _first_round(instance_id: int | None, spec_name: str, name: str) -> Deadline | None:
    if instance_id is None:
        return None
    rounds = select(HumanTask.id).where(
        HumanTask.instance_id == instance_id, HumanTask.task_spec == spec_name
    )
    query = select(Deadline).where(
        Deadline.instance_id == instance_id, Deadline.name == name, Deadline.task_id.in_(rounds)
    )
    return db.session.scalars(query.order_by(Deadline.id).limit(1)).first()


def task_due_columns(instance: ProcessInstance, found: TaskClock | None) -> dict[str, Any]:
    """The inbox row's copy of its own clock, or else of its case's."""
    if found is None:
        return {
            "due_at": instance.due_at,
            "remind_at": instance.remind_at,
            "due_provisional": instance.due_provisional,
            "has_clock": False,
        }
    sched = found.sched
    return {
        "due_at": sched.due_at,
        "remind_at": sched.remind_at,
        "due_provisional": sched.provisional,
        "has_clock": True,
    }


def start_task_clock(instance_id: int, task_id: int, found: TaskClock | None) -> None:
    """Store the clock of a task just put in an inbox."""
    if found is not None:
        insert_clock(
            instance_id,
            task_id,
            found.name,
            found.terms,
            found.start,
            found.sched,
            reminded_at=found.reminded_at,
            level=found.level,
        )


def insert_clock(
    instance_id: int,
    task_id: int | None,
    name: str,
    terms: Terms,
    start: date,
    sched: Schedule,
    latest: date | None = None,
    *,
    reminded_at: datetime | None = None,
    level: int = 0,
    waiting: bool = False,
):
    row = dict(
        instance_id=instance_id,
        task_id=task_id,
        name=name,
        label=engine().profile.deadline(name).label,
        amount=terms.period.amount,
        unit=terms.period.unit.value,
        rolls=terms.rolls,
        target_amount=terms.target.amount if terms.target else None,
        target_unit=terms.target.unit.value if terms.target else None,
        ceiling_due_on=sched.ceiling_on,
        target_due_on=sched.target_on,
        extension=0,
        started_on=start,
        latest_on=latest,
        pauses=[],
        due_on=sched.due_on,
        due_at=sched.due_at,
        provisional=sched.provisional,
        remind_at=sched.remind_at,
        escalate_at=[m.isoformat() for m in sched.escalate_at],
        reminded_at=reminded_at,
        level=level,
        next_action_at=sched.next_action(reminded_at is not None, level),
        status=sched.status,
        waiting=waiting,
        version=1,
    )
    insert_rows(Deadline, [row])


def case_progress(
    instance: ProcessInstance,
    parsed: ParsedDefinition,
    data: dict,
    ending: str | None,
    open_rows: list[HumanTask],
) -> dict:
    """Start the case clock once its start date is known; stop every clock when the case ends.

    `ending` is None while the case runs, else how its end event closes the clocks (met unless
    the diagram marks it abandoned, withdrawn or returned).
    """
    if ending is not None:
        close_all(instance.id, ending)
        return {"clock_paused": False} if instance.clock_paused else {}
    spec = parsed.case_deadline
    if spec is None or instance.due_at is not None or instance.clock_paused:
        return {}
    start = _case_start(instance, spec.start_field, data)
    if start is None or _has_case_clock(instance.id, spec.name):
        return {}  # not started yet, or stopped at a milestone: neither starts a new count
    calendar, profile = current_calendar(), engine().profile
    terms = profile.deadline(spec.name).terms
    latest = date_value(data.get(spec.latest_field)) if spec.latest_field else None
    sched = schedule(calendar, profile, start, terms, [], latest=latest)
    insert_clock(instance.id, None, spec.name, terms, start, sched, latest)
    if any(row.status == "open" and not row.has_clock for row in open_rows):
        mirror(instance.id, sched)
    return case_columns(sched)


def _has_case_clock(instance_id: int, name: str) -> bool:
    # Asked only while the case shows no deadline: before its clock starts, or after a stop.
    query = select(Deadline.id).where(
        Deadline.instance_id == instance_id, Deadline.task_id.is_(None), Deadline.name == name
    )
    return db.session.scalars(query.limit(1)).first() is not None


def _case_start(instance: ProcessInstance, field: str | None, data: dict) -> date | None:
    if field is None:
        return current_calendar().day_of(instance.started_at)
    value = data.get(field)
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, date) else None


def case_columns(sched: Schedule) -> dict[str, Any]:
    return {
        "due_at": sched.due_at,
        "remind_at": sched.remind_at,
        "due_provisional": sched.provisional,
        "clock_paused": sched.status == "paused",
    }


def mirror(instance_id: int, sched: Schedule | None) -> None:
    """Show the case clock on the case's open tasks that have none of their own.

    Only display columns change, so the rows' versions stay: a colleague claiming one of these
    tasks meanwhile loses nothing, and rows this transaction already holds stay writable.
    """
    statement = (
        update(HumanTask)
        .where(
            HumanTask.instance_id == instance_id, HumanTask.status == "open", HumanTask.has_clock.is_(False)
        )
        .values(
            due_at=sched.due_at if sched else None,
            remind_at=sched.remind_at if sched else None,
            due_provisional=sched.provisional if sched else False,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(statement)


def mirror_level(instance_id: int, level: int) -> None:
    """Case-clock escalations show on the tasks that run on the case clock (ESC-1)."""
    statement = (
        update(HumanTask)
        .where(
            HumanTask.instance_id == instance_id, HumanTask.status == "open", HumanTask.has_clock.is_(False)
        )
        .values(escalation_level=level)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(statement)


def spec_has_clock(parsed: ParsedDefinition, spec_name: str) -> bool:
    return spec_name in parsed.task_deadlines  # a task with conditional deadlines has a default too


def _pause_from(start: str, end: str | None, started_on: date) -> Pause:
    # Stored pauses never begin before the count does (a later receipt date clamps them).
    begin = max(date.fromisoformat(start), started_on)
    return Pause(begin, max(date.fromisoformat(end), begin) if end else None)


def case_clock(instance: ProcessInstance, name: str, statuses: tuple[str, ...] = OPEN) -> Deadline | None:
    query = select(Deadline).where(
        Deadline.instance_id == instance.id,
        Deadline.task_id.is_(None),
        Deadline.name == name,
        Deadline.status.in_(statuses),
    )
    return db.session.scalars(query.order_by(Deadline.id.desc())).first()


def change_case_clock(instance: ProcessInstance, name: str, change, clock: Deadline | None = None) -> bool:
    """Apply `change` (clock -> columns to change) to the named case clock; False if nothing changed."""
    clock = clock or case_clock(instance, name)
    if clock is None:
        return False
    changes = change(clock)
    if not changes:
        return False
    sched = _reschedule(clock, changes, current_calendar())
    if clock.waiting:
        return True  # someone else's clock: neither the case's due date nor its tasks' (NAT-5)
    versioned_update(instance, **case_columns(sched))
    mirror(instance.id, sched)
    return True


def _reschedule(clock: Deadline, changes: dict[str, Any], calendar: WorkCalendar) -> Schedule:
    """Apply changes to a clock, recompute its schedule and store both."""
    merged = {
        "started_on": clock.started_on,
        "latest_on": clock.latest_on,
        "pauses": clock.pauses,
        "extension": clock.extension,
        "reminded_at": clock.reminded_at,
        "level": clock.level,
        **changes,
    }
    pauses = [_pause_from(s, e, merged["started_on"]) for s, e in merged["pauses"]]
    sched = schedule(
        calendar,
        engine().profile,
        merged["started_on"],
        _row_terms(clock),
        pauses,
        merged["extension"],
        merged["latest_on"],
        clock.waiting,
    )
    versioned_update(
        clock,
        **merged,
        due_on=sched.due_on,
        ceiling_due_on=sched.ceiling_on,
        target_due_on=sched.target_on,
        due_at=sched.due_at,
        provisional=sched.provisional,
        remind_at=sched.remind_at,
        escalate_at=[m.isoformat() for m in sched.escalate_at],
        next_action_at=sched.next_action(merged["reminded_at"] is not None, merged["level"]),
        status=sched.status,
    )
    return sched


def close(column: str, row_id: int, outcome: str) -> None:
    """Stop the open clocks of one task (column task_id) or of a whole case (instance_id).

    `outcome` is one of CLOSED; a met clock also records whether it was kept (workflows.sla.kept).
    """
    connection = db.session.connection()
    found = connection.execute(_open_clocks_statement(column), {"row_id": row_id}).all()
    if not found:
        return
    closed_at, calendar = now(), current_calendar()
    params = [
        {
            "row_id": row.id,
            "outcome": outcome,
            "closed_at": closed_at,
            **closing(row, outcome, closed_at, calendar),
        }
        for row in found
    ]
    connection.execute(_close_statement(), params)


def closing(clock: Any, outcome: str, closed_at: datetime, calendar: WorkCalendar) -> dict[str, Any]:
    """The columns a clock closed as `outcome` at `closed_at` takes besides its status.

    A met clock gets its verdict. One met while paused (its step done while a pause is open)
    is judged as if it had resumed that day: the stopped days do not count against it.
    """
    dates = {
        "pauses": clock.pauses,
        "due_on": clock.due_on,
        "due_at": clock.due_at,
        "ceiling_due_on": clock.ceiling_due_on,
        "target_due_on": clock.target_due_on,
    }
    if outcome != "met":
        return {**dates, "on_time": None, "late_by": None}
    if clock.due_on is None:
        dates = _resumed_on(clock, calendar.day_of(closed_at), calendar)
    verdict = kept(calendar, dates["due_on"], bound_unit(clock, dates), closed_at)
    return {**dates, "on_time": verdict.on_time, "late_by": verdict.late_by}


def bound_unit(clock: Any, dates: dict[str, Any] | None = None) -> Unit:
    """The unit of the date that held a clock, which its lateness counts in: a local target's
    where it bound (PET-2: working days under a 60-day ceiling), else the ceiling's."""
    found = dates or {
        "due_on": clock.due_on,
        "ceiling_due_on": clock.ceiling_due_on,
        "target_due_on": clock.target_due_on,
    }
    target_bound = (
        clock.target_unit is not None
        and found["target_due_on"] is not None
        and found["due_on"] == found["target_due_on"] != found["ceiling_due_on"]
    )
    return Unit(clock.target_unit) if target_bound else Unit(clock.unit)


def _resumed_on(clock: Any, day: date, calendar: WorkCalendar) -> dict[str, Any]:
    pauses = [[start, end or max(day, date.fromisoformat(start)).isoformat()] for start, end in clock.pauses]
    terms = _row_terms(clock)
    dues = compute_dues(
        calendar,
        clock.started_on,
        terms,
        pauses=[_pause_from(s, e, clock.started_on) for s, e in pauses],
        extension=Period(clock.extension, terms.period.unit) if clock.extension else None,
        latest=clock.latest_on,
    )
    due = dues.binding
    return {
        "pauses": pauses,
        "due_on": due.day,
        "due_at": due.at,
        "ceiling_due_on": dues.ceiling.day,
        "target_due_on": dues.target.day if dues.target is not None else None,
    }


# Built once: these run on most task completions, where building them cost more than running them.
@cache
def _open_clocks_statement(column: str):
    table = cast(Table, Deadline.__table__)
    columns = (
        *("id", "unit", "amount", "extension", "started_on", "latest_on", "pauses", "due_on", "due_at"),
        *("rolls", "target_amount", "target_unit", "ceiling_due_on", "target_due_on"),
    )
    return select(*(table.c[name] for name in columns)).where(
        table.c[column] == bindparam("row_id"), table.c.status.in_(OPEN)
    )


@cache
def _close_statement():
    table = cast(Table, Deadline.__table__)
    return (
        update(table)
        # Not status IN (...): an expanding parameter cannot run as executemany (a case's clocks).
        .where(table.c.id == bindparam("row_id"), or_(*(table.c.status == status for status in OPEN)))
        .values(
            status=bindparam("outcome"),
            next_action_at=None,
            closed_at=bindparam("closed_at"),
            pauses=bindparam("pauses", type_=table.c.pauses.type),
            due_on=bindparam("due_on", type_=table.c.due_on.type),
            due_at=bindparam("due_at", type_=table.c.due_at.type),
            ceiling_due_on=bindparam("ceiling_due_on", type_=table.c.ceiling_due_on.type),
            target_due_on=bindparam("target_due_on", type_=table.c.target_due_on.type),
            on_time=bindparam("on_time", type_=table.c.on_time.type),
            late_by=bindparam("late_by", type_=table.c.late_by.type),
            version=table.c.version + 1,
        )
    )


def close_all(instance_id: int, outcome: str) -> None:
    close("instance_id", instance_id, outcome)


def date_value(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def recompute_running(calendar: WorkCalendar) -> int:
    """Recompute every open clock on a changed calendar (provisional ones become final)."""
    count = 0
    for clock in db.session.scalars(select(Deadline).where(Deadline.status.in_(OPEN))):
        sched = _reschedule(clock, {}, calendar)
        if clock.waiting:
            pass
        elif clock.task_id is None:
            instance = db.session.get(ProcessInstance, clock.instance_id)
            versioned_update(instance, **case_columns(sched))
            mirror(clock.instance_id, sched)
        else:
            task = db.session.get(HumanTask, clock.task_id)
            columns = {
                "due_at": sched.due_at,
                "remind_at": sched.remind_at,
                "due_provisional": sched.provisional,
            }
            versioned_update(task, **columns)
        count += 1
    return count
