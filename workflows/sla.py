"""Deadline rules over a WorkCalendar: pauses, extensions, ceilings, reminders, escalation (ESC-1, REQ-3/4).

Pure functions: the current time is always an argument, never read from the system.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from workflows.calendar import DueDay, WorkCalendar, shift
from workflows.periods import Period, Unit

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Pause:
    """The clock stopped on `start` and resumed on `end` (None: still stopped), e.g. to consult a third party.

    The days d with start < d <= end do not count: resuming is like a new day of receipt (REQ-4, NAT-2).
    """

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"a pause cannot end ({self.end}) before it starts ({self.start})")

    @property
    def open(self) -> bool:
        """Is the clock still stopped?"""
        return self.end is None


@dataclass(frozen=True)
class Due:
    """A deadline: the moment and day it falls on, or paused with neither while the clock is stopped."""

    at: datetime | None
    day: date | None
    provisional: bool
    paused: bool


class ExtensionTooLong(ValueError):
    """A requested extension longer than the ceiling leaves room for: refused, never cut (REQ-3)."""

    def __init__(self, requested: Period, room: Period, maximum: Period) -> None:
        super().__init__(f"extension {requested} exceeds the {room} left under {maximum}")
        self.requested, self.room, self.maximum = requested, room, maximum


class Standing(StrEnum):
    """Where a task stands against its deadline."""

    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"


@dataclass(frozen=True)
class Milestones:
    """When to remind the holder (催办) and when to raise the task a level (督办), ESC-1."""

    remind_at: datetime
    escalate_at: tuple[datetime, ...]


def compute_due(
    calendar: WorkCalendar,
    start: date,
    period: Period,
    *,
    pauses: Sequence[Pause] = (),
    extension: Period | None = None,
    latest: date | None = None,
    rolls: bool = True,
) -> Due:
    """The deadline of a period received on `start`, less paused days, plus any granted extension.

    `latest` is a day the deadline may not pass (a transfer document's reply date, PRO-1); an
    extension then counts on from that day. With `rolls` False, calendar days are natural days
    that end on the day they reach even when it is a holiday (ERR-2).
    """
    total = period if extension is None else period + extension  # Period refuses mixed units
    for pause in pauses:
        if pause.start < start:
            raise ValueError(f"a pause starting {pause.start} precedes the receipt on {start}")
    if any(pause.open for pause in pauses):
        # A stopped clock has no deadline; it gets one again when the pause is closed.
        return Due(at=None, day=None, provisional=False, paused=True)
    skipped = _paused_days(pauses)
    if not skipped:
        due = calendar.add(start, total, rolls=rolls)
    elif total.unit is Unit.WORKDAY:
        due = _workdays_with_pauses(calendar, start, total.amount, skipped)
    else:
        due = _calendar_with_pauses(calendar, start, total, skipped, rolls)
    if latest is not None:
        capped = calendar.add(latest, extension, rolls=rolls) if extension else DueDay(latest, False)
        if capped.day < due.day:
            provisional = capped.provisional or calendar.is_provisional(start, capped.day)
            due = DueDay(capped.day, provisional)
    return Due(at=calendar.close_of(due.day), day=due.day, provisional=due.provisional, paused=False)


def _paused_days(pauses: Sequence[Pause]) -> frozenset[date]:
    # A set of days makes overlapping pauses count once without merging intervals by hand.
    days: set[date] = set()
    for pause in pauses:
        assert pause.end is not None
        days.update(pause.start + timedelta(days=k) for k in range(1, (pause.end - pause.start).days + 1))
    return frozenset(days)


def _workdays_with_pauses(
    calendar: WorkCalendar, start: date, count: int, skipped: frozenset[date]
) -> DueDay:
    def counts(day: date) -> bool:
        return day not in skipped and calendar.is_workday(day)

    # As in WorkCalendar.add, 0 working days end on the start day itself if it is a working day
    # (the start day is never inside a pause: pauses only take the days after they begin).
    end = _walk(start, count, counts) if count else _first(start, counts)
    first = start + _ONE_DAY if count else start
    return DueDay(end, calendar.is_provisional(first, end))


def _calendar_with_pauses(
    calendar: WorkCalendar, start: date, total: Period, skipped: frozenset[date], rolls: bool
) -> DueDay:
    # Calendar days and months run on the calendar; the days the clock stood still push the end
    # out by as many days that were not themselves paused, then the usual roll to a working day
    # (none for natural days, ERR-2).
    nominal = shift(start, total)
    held = sum(1 for day in skipped if start < day <= nominal)
    moved = _walk(nominal, held, lambda day: day not in skipped)
    if not rolls:
        return DueDay(moved, calendar.is_provisional(moved, moved))
    end = _first(moved, lambda day: day not in skipped and calendar.is_workday(day))
    return DueDay(end, calendar.is_provisional(moved, end))


def _walk(day: date, steps: int, counts: Callable[[date], bool]) -> date:
    """The `steps`-th day after `day` for which `counts` holds."""
    for _ in range(steps):
        day = _first(day + _ONE_DAY, counts)
    return day


def _first(day: date, counts: Callable[[date], bool]) -> date:
    while not counts(day):
        day += _ONE_DAY
    return day


class Binds(StrEnum):
    """Which of a clock's two dates holds the case to it."""

    CEILING = "ceiling"
    TARGET = "target"


@dataclass(frozen=True)
class Terms:
    """What a clock counts: the ceiling period, a stricter local target perhaps in another unit
    (PET-2, PUB-13), and whether calendar days roll to the next working day (ESC-2, ERR-2)."""

    period: Period
    target: Period | None = None
    rolls: bool = True


@dataclass(frozen=True)
class Dues:
    """A clock's ceiling date and its target's date, and which binds: the earlier (PET-2)."""

    ceiling: Due
    target: Due | None
    binds: Binds

    @property
    def binding(self) -> Due:
        """The date the case is held to: reminders and escalation follow it."""
        return self.target if self.binds is Binds.TARGET and self.target is not None else self.ceiling


def compute_dues(
    calendar: WorkCalendar,
    start: date,
    terms: Terms,
    *,
    pauses: Sequence[Pause] = (),
    extension: Period | None = None,
    latest: date | None = None,
) -> Dues:
    """Both dates of a clock: the ceiling (with its extension) and the local target, if any.

    The target binds when it ends strictly before the ceiling; it is never extended: an extension
    approved against the ceiling (PET-3) lets the ceiling bind, the local target having been missed.
    """
    ceiling = compute_due(
        calendar, start, terms.period, pauses=pauses, extension=extension, latest=latest, rolls=terms.rolls
    )
    if terms.target is None:
        return Dues(ceiling, None, Binds.CEILING)
    target = compute_due(calendar, start, terms.target, pauses=pauses, latest=latest, rolls=terms.rolls)
    earlier = target.day is not None and ceiling.day is not None and target.day < ceiling.day
    binds = Binds.TARGET if earlier and extension is None else Binds.CEILING
    return Dues(ceiling, target, binds)


def extension_room(already: Period | None, maximum: Period) -> Period:
    """How much more may be extended after `already`, all extensions together within the ceiling."""
    used = already if already is not None else Period(0, maximum.unit)
    if used.unit != maximum.unit:
        raise ValueError(f"extension units differ: already {used}, maximum {maximum}")
    return Period(max(maximum.amount - used.amount, 0), maximum.unit)


def grant_extension(requested: Period, already: Period | None, maximum: Period) -> Period:
    """The extension to add: the request whole if it fits under the ceiling (REQ-3, NAT-1, PET-3, NAT-6).

    One that does not fit raises ExtensionTooLong with what is left: the case data must not say
    25 days were granted when 20 were, and whoever asks decides what to ask for instead.
    """
    if requested.unit != maximum.unit:
        raise ValueError(f"extension units differ: requested {requested}, maximum {maximum}")
    if requested.amount <= 0:
        raise ValueError(f"an extension must be longer than zero, got {requested}")
    room = extension_room(already, maximum)
    if requested.exceeds(room):
        raise ExtensionTooLong(requested, room, maximum)
    return requested


def milestones(
    calendar: WorkCalendar,
    due_day: date,
    *,
    remind_before: Period,
    escalate_after: Sequence[Period],
) -> Milestones:
    """The reminder moment before a due day and the escalation moments at or after it (ESC-1).

    A level 0 after the deadline comes as the due day closes, even when that day is a holiday
    (natural days that do not roll, ERR-2); a level n working days after it, as the n-th working
    day after the due day closes. The reminder comes as the working day `remind_before` ahead of
    the due day closes, so before the deadline even when the due day is a holiday.
    """
    remind_day = calendar.back(due_day, remind_before).day
    escalate_at = tuple(
        calendar.close_of(due_day if after.amount == 0 else calendar.add(due_day, after).day)
        for after in escalate_after
    )
    if any(later < earlier for earlier, later in zip(escalate_at, escalate_at[1:], strict=False)):
        raise ValueError(f"escalation levels must not come earlier than the level below: {escalate_after}")
    return Milestones(remind_at=calendar.close_of(remind_day), escalate_at=escalate_at)


def standing(now: datetime, due: Due, remind_at: datetime | None) -> Standing:
    """Is the task on time, due soon (past its reminder), overdue (past its deadline) or paused?"""
    if due.paused:
        return Standing.PAUSED
    if due.at is None:
        raise ValueError("a running deadline needs a moment")
    _require_aware(now)
    if now >= due.at:
        return Standing.OVERDUE
    if remind_at is not None and now >= remind_at:
        return Standing.DUE_SOON
    return Standing.ON_TIME


def escalation_level(now: datetime, milestones: Milestones) -> int:
    """How many escalation moments have passed: 0 none, 1 section head, 2 leader in charge …"""
    _require_aware(now)
    return sum(1 for moment in milestones.escalate_at if now >= moment)


def _require_aware(now: datetime) -> None:
    # Comparing a naive moment with the aware deadlines would raise deep inside; say why up front.
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"need an aware datetime, got naive {now!r}")


# How a clock closes. met: its step was done (kept or late, see kept()); the others close it because
# the case ended another way: abandoned (no correction in time, NAT-2), withdrawn by the applicant,
# returned (not accepted: 不予受理, sent back as not the agency's business), cancelled by an
# administrator. A diagram's end event may name any but cancelled (docs/diagrams.md).
ENDINGS = ("met", "abandoned", "withdrawn", "returned", "cancelled")
DIAGRAM_ENDINGS = ENDINGS[:-1]


@dataclass(frozen=True)
class Kept:
    """How a closed clock came out against its due day: on time, or late by so many units."""

    on_time: bool
    late_by: int  # 0 when on time
    unit: Unit  # the unit late_by counts in: working days for a workday period, else days


def lateness_unit(unit: Unit) -> Unit:
    """Working days stay working days; calendar days and months are counted late in days."""
    return Unit.WORKDAY if unit is Unit.WORKDAY else Unit.DAY


def kept(calendar: WorkCalendar, due_day: date, unit: Unit, closed_at: datetime) -> Kept:
    """Was a clock due as `due_day` closes kept by `closed_at`, and if not, by how much was it late?

    On time means closed before the due moment (the moment `standing` calls it overdue). Late by n
    means n is the fewest units the deadline would have had to be later for the close to be on time:

    - a workday period counts working days on the official calendar: the n-th working day after
      the due day is the first whose close comes after the closing moment. Closed on a weekend or
      a holiday counts as the next working day, so a clock due Fri 24:00 is 1 working day late on
      Saturday as on Monday, and 2 on Tuesday; a make-up working day (调休上班) counts.
    - calendar days and months count plain days after the due day, weekends and holidays included
      (rolling a due day to the next working day is the office's allowance, not the lateness's):
      due Fri 24:00 and closed on Monday is 3 days late.

    With the close hour at 24 a clock closed on a day is late by that day; with an earlier close
    hour, closing after it on a day counts as the next day. The count is fixed when the clock
    closes: a later change to the calendar does not recount it.
    """
    _require_aware(closed_at)
    counted = lateness_unit(unit)
    if closed_at < calendar.close_of(due_day):
        return Kept(True, 0, counted)
    day = calendar.day_of(closed_at)
    if closed_at >= calendar.close_of(day):
        day += _ONE_DAY  # after the close hour: it is the next day's work
    if counted is Unit.WORKDAY:
        late = calendar.workdays_between(due_day, calendar.roll(day))
    else:
        late = (day - due_day).days
    return Kept(False, max(late, 1), counted)
