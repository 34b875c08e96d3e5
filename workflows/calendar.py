"""The official working-day calendar: State Council holidays, make-up workdays and overrides (ESC-2, NAT-8).

The official data comes from the ``chinesecalendar`` package. For years it does not cover yet, an
administrator enters the State Council notice as overrides and then confirms the year. Until then
such a year counts Monday to Friday less its statutory holidays (the ``holidays`` package's China
calendar: fixed and lunar dates, a holiday falling on a weekend made up on the next weekday as the
放假办法 requires), with no make-up workdays, which only the notice sets; every deadline reaching
into it is provisional. Once confirmed, a year follows exactly what the administrator entered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import chinese_calendar
import holidays

from workflows.periods import Period, Unit

SERVICE_TZ = ZoneInfo("Asia/Shanghai")
_ONE_DAY = timedelta(days=1)


def _shipped_years() -> range:
    # The same bounds the package itself checks before answering (it raises NotImplementedError
    # outside them), so a newer package version widens the range without a code change here.
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


SHIPPED_YEARS: range = _shipped_years()

# Read the package's tables once: its own is_workday() re-scans them on every call, which would
# make a 20-working-day deadline cost milliseconds. False = day off, True = make-up workday.
_SHIPPED_DAYS: Mapping[date, bool] = MappingProxyType(
    {**{day: False for day in chinese_calendar.holidays}, **{day: True for day in chinese_calendar.workdays}}
)


# The years the service keeps a calendar for; outside them only Monday to Friday is known.
CALENDAR_YEARS = range(2000, 2101)


@dataclass(frozen=True)
class EstimatedDay:
    """A named day off or make-up workday: the package's, or, for a year with no official data, one
    the provisional count takes from its statutory holidays."""

    day: date
    workday: bool
    name: str


def estimated_days(year: int) -> tuple[EstimatedDay, ...]:
    """What the provisional count uses for a year without official data, in date order (() otherwise)."""
    return _estimates().get(year, ())


# The package names its holidays in English; people here read them in Chinese.
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def shipped_days(year: int) -> tuple[EstimatedDay, ...]:
    """The package's days of a year that differ from Monday to Friday, in date order (() if none):
    holidays on weekdays and make-up workdays, named in Chinese."""
    found = [
        EstimatedDay(day, workday, _holiday_name(day, workday))
        for day, workday in _SHIPPED_DAYS.items()
        if day.year == year and workday == (day.weekday() >= 5)
    ]
    return tuple(sorted(found, key=lambda d: d.day))


def _holiday_name(day: date, workday: bool) -> str:
    source = chinese_calendar.workdays if workday else chinese_calendar.holidays
    name = _HOLIDAY_NAMES.get(str(source.get(day) or ""), "")
    return f"{name}调休上班" if workday else name


@cache
def _estimates() -> Mapping[int, tuple[EstimatedDay, ...]]:
    # Read once per process, on the first calendar built (a few milliseconds for a century).
    years = [year for year in CALENDAR_YEARS if year not in SHIPPED_YEARS]
    china = holidays.China(years=years, language="zh_CN")
    found = [EstimatedDay(day, False, name) for day, name in china.items()]
    # Make-up weekend workdays exist only for years the State Council has published (and the
    # package carries); for the years ahead it lists none, and none are invented here.
    found += [EstimatedDay(day, True, "调休上班") for day in china.weekend_workdays]
    by_year: dict[int, list[EstimatedDay]] = {year: [] for year in years}
    for estimated in sorted(found, key=lambda e: e.day):
        if estimated.day.year in by_year:
            by_year[estimated.day.year].append(estimated)
    return MappingProxyType({year: tuple(days) for year, days in by_year.items()})


@dataclass(frozen=True)
class DueDay:
    """The last day of a period, and whether it rests on working days not yet officially known."""

    day: date
    provisional: bool


def shift(day: date, period: Period, *, back: bool = False) -> date:
    """Move by calendar days or months with no roll; a month end is clamped (Jan 31 + 1 month = Feb 28)."""
    _require_date(day)
    sign = -1 if back else 1
    if period.unit is Unit.DAY:
        return day + timedelta(days=sign * period.amount)
    if period.unit is Unit.MONTH:
        return _shift_months(day, sign * period.amount)
    raise ValueError(f"working days cannot be shifted without a calendar: {period}")


class WorkCalendar:
    """Working days under the State Council calendar, extended and corrected by an administrator.

    Immutable after construction, so one instance can be shared between threads.
    """

    __slots__ = ("_close_hour", "_confirmed", "_days")
    _close_hour: int
    _confirmed: frozenset[int]
    _days: Mapping[date, bool]

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        confirmed_years: Iterable[int] = (),
        close_hour: int = 24,
    ) -> None:
        if isinstance(close_hour, bool) or not isinstance(close_hour, int) or not 1 <= close_hour <= 24:
            raise ValueError(f"close_hour must be a whole hour from 1 to 24, got {close_hour!r}")
        overrides = dict(overrides or {})
        for day, working in overrides.items():
            _require_date(day)
            if not isinstance(working, bool):
                raise ValueError(f"override for {day} must be True (working) or False (day off)")
        confirmed = frozenset(int(year) for year in confirmed_years)
        # A confirmed year follows what was entered; an unconfirmed one keeps its statutory estimate.
        estimated = {
            e.day: e.workday for year, days in _estimates().items() if year not in confirmed for e in days
        }
        # One merged table: an override beats the official package data and the estimate, which
        # beat the Monday-Friday rule.
        object.__setattr__(self, "_days", MappingProxyType({**estimated, **_SHIPPED_DAYS, **overrides}))
        object.__setattr__(self, "_confirmed", confirmed)
        object.__setattr__(self, "_close_hour", close_hour)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a WorkCalendar is immutable; build a new one")

    @property
    def close_hour(self) -> int:
        """The hour (Beijing time) at which a day closes; 24 = midnight at its end."""
        return self._close_hour

    def is_official(self, year: int) -> bool:
        """Are this year's working days known from the package or a confirmed administrator entry?"""
        return year in SHIPPED_YEARS or year in self._confirmed

    def is_workday(self, day: date) -> bool:
        """Is this a working day (make-up workdays included, holidays excluded)?"""
        _require_date(day)
        return self._working(day)

    def _working(self, day: date) -> bool:
        working = self._days.get(day)
        return day.weekday() < 5 if working is None else working

    def is_provisional(self, first: date, last: date) -> bool:
        """Does any day from first to last (inclusive) lie in a year whose working days are not official?"""
        return any(not self.is_official(year) for year in range(first.year, last.year + 1))

    def add(self, start: date, period: Period, *, rolls: bool = True) -> DueDay:
        """The day a period starting on `start` ends (ESC-2: the start day itself is not counted).

        n working days end on the n-th working day after `start`; 0 working days end on `start`
        if it is a working day, else on the next one. Calendar days and months end on the same
        date n days or months later (clamped to the month's end), rolled to the next working day
        unless `rolls` is False: natural days that end on a holiday end there (ERR-2).
        """
        _require_date(start)
        if period.unit is Unit.WORKDAY:
            end = self._nth_workday_after(start, period.amount)
            first = start + _ONE_DAY if period.amount else start
        else:
            first = shift(start, period)
            end = self.roll(first) if rolls else first
        return DueDay(end, self.is_provisional(first, end))

    def roll(self, day: date) -> date:
        """The day itself if it is a working day, else the next working day."""
        _require_date(day)
        while not self._working(day):
            day += _ONE_DAY
        return day

    def _nth_workday_after(self, start: date, count: int) -> date:
        if count == 0:
            return self.roll(start)
        day = start
        while count:
            day += _ONE_DAY
            if self._working(day):
                count -= 1
        return day

    def back(self, day: date, period: Period) -> DueDay:
        """The working day `period` working days before `day`, or plain subtraction for days and months.

        0 working days back is `day` itself; calendar units do not roll (used for reminder lead times).
        """
        _require_date(day)
        if period.unit is not Unit.WORKDAY:
            return DueDay(shift(day, period, back=True), False)
        earlier, count = day, period.amount
        while count:
            earlier -= _ONE_DAY
            if self._working(earlier):
                count -= 1
        return DueDay(earlier, self.is_provisional(earlier, day))

    def workdays_between(self, after: date, until: date) -> int:
        """The number of working days d with after < d <= until (0 when until is not after `after`)."""
        _require_date(after)
        _require_date(until)
        count, day = 0, after + _ONE_DAY
        while day <= until:
            count += self._working(day)
            day += _ONE_DAY
        return count

    def close_of(self, day: date) -> datetime:
        """The aware UTC moment at which `day` closes in Beijing time (close_hour; 24 = next midnight)."""
        _require_date(day)
        midnight = datetime(day.year, day.month, day.day, tzinfo=SERVICE_TZ)
        # Wall-clock arithmetic is exact here: China has had no daylight saving time since 1991.
        return (midnight + timedelta(hours=self._close_hour)).astimezone(UTC)

    def day_of(self, moment: datetime) -> date:
        """The Beijing-time calendar date of an aware moment."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"need an aware datetime, got naive {moment!r}")
        return moment.astimezone(SERVICE_TZ).date()


def _require_date(day: object) -> None:
    # datetime is a subclass of date: letting one in would keep its time of day through the
    # arithmetic and make it miss every lookup in the day tables.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"need a date (use day_of() for a moment), got {day!r}")


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, _month_length(year, month)))


def _month_length(year: int, month: int) -> int:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - _ONE_DAY).day
