"""Calendar functions for diagram scripts and timer expressions (ESC-2).

A timer boundary event writes `add_workdays(received_on, 15)` or `deadline_at("disclosure.reply",
received_on)` instead of a fixed date; the result is the ISO moment the due day closes. The
arguments come from untrusted diagrams and case data, so every one is type- and range-checked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from ..calendar import WorkCalendar
from ..periods import Period, Unit
from .deadline_markup import DEADLINE_NAME

MAX_AMOUNT = 3660  # ten years of days: anything longer is a mistake or an attack
NAMES = frozenset({"add_workdays", "add_days", "add_months", "deadline_at"})


def calendar_functions(
    calendar: Callable[[], WorkCalendar], period_of: Callable[[str], Period]
) -> dict[str, Callable[..., str]]:
    """Script functions bound to the calendar and profile in force when they are called."""

    def add(unit: Unit) -> Callable[..., str]:
        def function(start: object, n: object) -> str:
            return _close(calendar(), start, Period(_amount(n), unit))

        function.__name__ = f"add_{unit.value}s"
        return function

    def deadline_at(name: object, start: object) -> str:
        if not isinstance(name, str) or not DEADLINE_NAME.match(name):
            raise ValueError(f"deadline_at needs a deadline name like 'area.name', got {name!r:.60}")
        try:
            period = period_of(name)
        except LookupError as err:  # the profile's own error; scripts see one kind of failure
            raise ValueError(f"the agency profile has no deadline {name!r}") from err
        return _close(calendar(), start, period)

    return {
        "add_workdays": add(Unit.WORKDAY),
        "add_days": add(Unit.DAY),
        "add_months": add(Unit.MONTH),
        "deadline_at": deadline_at,
    }


def _close(calendar: WorkCalendar, start: object, period: Period) -> str:
    day = _day(calendar, start)
    try:
        return calendar.close_of(calendar.add(day, period).day).isoformat()
    except OverflowError as err:  # counting past the year 9999
        raise ValueError(f"{period} after {day} is beyond the calendar") from err


def _amount(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_AMOUNT:
        raise ValueError(f"a number of days or months must be a whole number 0..{MAX_AMOUNT}, got {n!r:.60}")
    return n


def _day(calendar: WorkCalendar, start: object) -> date:
    """A date from 'YYYY-MM-DD', an ISO date-time (its Beijing date), a date or an aware datetime."""
    if isinstance(start, datetime):
        return calendar.day_of(start)
    if isinstance(start, date):
        return start
    if isinstance(start, str) and len(start) <= 40:
        try:
            if len(start) == 10:
                return date.fromisoformat(start)
            moment = datetime.fromisoformat(start)
        except ValueError:
            pass
        else:
            # A naive date-time is Beijing time, as timer moments are (timers.to_moment).
            return calendar.day_of(moment) if moment.tzinfo is not None else moment.date()
    raise ValueError(f"not a date: {start!r:.60}")
