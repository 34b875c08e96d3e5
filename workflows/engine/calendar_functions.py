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
from ..sla import Terms, compute_dues
from .deadline_markup import DEADLINE_NAME

MAX_AMOUNT = 3660  # ten years of days: anything longer is a mistake or an attack
NAMES = frozenset({"add_workdays", "add_days", "add_months", "deadline_at"})


class UnknownDeadlineName(ValueError):
    """deadline_at named a deadline the agency profile in force does not define."""

    def __init__(self, name: str) -> None:
        super().__init__(f"deadline_at 中的期限“{name}”在当前机构配置中没有定义")
        self.name = name


def calendar_functions(
    calendar: Callable[[], WorkCalendar], terms_of: Callable[[str], Period | Terms]
) -> dict[str, Callable[..., str]]:
    """Script functions bound to the calendar and profile in force when they are called.

    `terms_of` gives a deadline name's rule as the clocks count it (a bare Period is a ceiling
    alone that rolls), so deadline_at agrees with the case's own clocks: natural days that do not
    roll (ERR-2), a local target that binds before its ceiling (PET-2).
    """

    def add(unit: Unit) -> Callable[..., str]:
        def function(start: object, n: object) -> str:
            return _close(calendar(), start, Period(_amount(n), unit))

        function.__name__ = f"add_{unit.value}s"
        return function

    def deadline_at(name: object, start: object) -> str:
        if not isinstance(name, str) or not DEADLINE_NAME.match(name):
            raise ValueError(
                f"deadline_at 需要“领域.名称”形式的期限名称（如 'area.name'），而不是 {name!r:.60}"
            )
        try:
            rule = terms_of(name)
        except LookupError as err:  # the profile's own error; scripts see one kind of failure
            raise UnknownDeadlineName(name) from err
        terms = rule if isinstance(rule, Terms) else Terms(rule)
        today = calendar()
        day = _day(today, start)
        try:
            due = compute_dues(today, day, terms).binding
        except OverflowError as err:  # counting past the year 9999
            raise ValueError(f"{day} 之后 {terms.period.label} 超出了日历范围") from err
        assert due.at is not None  # no pauses, so never paused
        return due.at.isoformat()

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
        raise ValueError(f"{day} 之后 {period.label} 超出了日历范围") from err


def _amount(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_AMOUNT:
        raise ValueError(f"天数或月数须是 0 到 {MAX_AMOUNT} 的整数，而不是 {n!r:.60}")
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
    raise ValueError(f"不是日期：{start!r:.60}")
