"""The figures of the statistics (STAT-1), computed from plain facts about cases: no database here.

A report covers a period of Beijing dates (a month, a quarter, a year or a range of days) and
groups cases by department or by flow. For one group, the figures are:

- received: cases started (ProcessInstance.started_at) on a day of the period.
- finished: cases completed (completed_at) on a day of the period; a cancelled case never finishes.
- on time / late: among the cases finished in the period, judged by *the case clock*: the
  case's own deadlines (task_id NULL) that run for the staff (not a waiting clock on someone
  outside, NAT-5) and were met. The case is late when any of them was met late, on time when all
  of them were kept; a case with no met case clock (none at all, or closed as abandoned, withdrawn,
  returned or cancelled) is neither, so on time + late may be fewer than finished. Task clocks do
  not decide a case's verdict.
- late days (total, maximum): how late the late cases were, in working days: a case's lateness is
  the largest of its late clocks'. A clock counted in working days keeps the late_by fixed when it
  closed; one counted in calendar days or months (petitions, proposals) is recounted in working
  days from its due day to its close (workflows.sla.kept), so the figures share one unit.
- open now / overdue now: at the moment of the report, whatever the period: cases still running,
  and those of them whose running case clock passed its due moment (a paused clock is not overdue).
- escalations: escalations (督办, each level once) raised on a day of the period; by department
  they count for the department escalated to: a task clock's task department, else the case's.
- handling time: working days from the day a case was received to the day it finished (a case
  finished the day it came in took 0), over the cases finished in the period: the median (the
  middle value, or the mean of the two middle values) and the 90th percentile (nearest rank: the
  smallest value at least 90 % of the cases do not exceed). None when no case finished.
"""

from __future__ import annotations

import math
import re
import statistics as stats
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from workflows.calendar import SERVICE_TZ, WorkCalendar
from workflows.periods import Unit
from workflows.sla import kept

FIRST_YEAR, LAST_YEAR = 2000, 2100
LONGEST_RANGE = timedelta(days=366 * 5)  # a custom range beyond five years is a mistake, not a report
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"(\d{4})")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


class PeriodError(ValueError):
    """A period text that names no period; the message says why, in Chinese."""


@dataclass(frozen=True)
class ReportPeriod:
    """The days a report covers, first and last included, in Beijing dates."""

    text: str  # as asked: 2026-03, 2026-Q1, 2026 or 2026-03-01..2026-03-15
    first: date
    last: date
    label: str  # in Chinese: 2026年3月, 2026年第1季度, 2026年, 2026-03-01至2026-03-15

    def start_moment(self) -> datetime:
        """The moment the first day begins in Beijing."""
        return datetime.combine(self.first, datetime.min.time(), SERVICE_TZ)

    def end_moment(self) -> datetime:
        """The moment after the last day ends in Beijing (exclusive)."""
        return datetime.combine(self.last + timedelta(days=1), datetime.min.time(), SERVICE_TZ)

    def holds(self, day: date | None) -> bool:
        return day is not None and self.first <= day <= self.last


def parse_period(text: str) -> ReportPeriod:
    """The period a text names: a month 2026-03, a quarter 2026-Q1, a year 2026, or from..to."""
    text = text.strip()
    if match := _RANGE.fullmatch(text):
        try:
            first, last = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        except ValueError as err:
            raise PeriodError("日期无效，应为 YYYY-MM-DD") from err
        if last < first:
            raise PeriodError("结束日期不能早于开始日期")
        if last - first > LONGEST_RANGE:
            raise PeriodError("自定义时段不能超过5年")
        _check_year(first.year)
        _check_year(last.year)
        return ReportPeriod(text, first, last, f"{first.isoformat()}至{last.isoformat()}")
    if match := _QUARTER.fullmatch(text):
        year, quarter = _check_year(int(match[1])), int(match[2])
        first = date(year, 3 * quarter - 2, 1)
        return ReportPeriod(text, first, _month_end(year, 3 * quarter), f"{year}年第{quarter}季度")
    if match := _MONTH.fullmatch(text):
        year, month = _check_year(int(match[1])), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError("月份应为 01 到 12")
        return ReportPeriod(text, date(year, month, 1), _month_end(year, month), f"{year}年{month}月")
    if match := _YEAR.fullmatch(text):
        year = _check_year(int(match[1]))
        return ReportPeriod(text, date(year, 1, 1), date(year, 12, 31), f"{year}年")
    raise PeriodError(
        "统计时段应为月（2026-03）、季度（2026-Q1）、年（2026）或日期范围（2026-03-01..2026-03-15）"
    )


def _check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间")
    return year


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


@dataclass(frozen=True)
class ClockFacts:
    """One case clock as stored: its status (running, paused or an ending), verdict and due moment."""

    status: str
    due_at: datetime | None
    on_time: bool | None = None
    late_workdays: int | None = None  # for a met late clock: how late, in working days


@dataclass(frozen=True)
class CaseFacts:
    """What the figures need of one case (its clocks: its case clocks, waiting clocks left out)."""

    received_on: date  # Beijing dates
    finished_on: date | None
    running: bool
    clocks: tuple[ClockFacts, ...] = ()


@dataclass(frozen=True)
class Figures:
    """The figures of one row (a department, a flow, or all of them); see the module docstring."""

    received: int = 0
    finished: int = 0
    on_time: int = 0
    late: int = 0
    late_days_total: int = 0
    late_days_max: int = 0
    open_now: int = 0
    overdue_now: int = 0
    escalations: int = 0
    median_days: float | None = None
    p90_days: int | None = None


def late_workdays(calendar: WorkCalendar, unit: Unit, late_by: int, due_on: date, closed_at: datetime) -> int:
    """A late clock's lateness in working days: its own count when it counts working days, else
    recounted on the calendar from its due day (calendar days and months are counted late in days)."""
    if unit is Unit.WORKDAY:
        return late_by
    return kept(calendar, due_on, Unit.WORKDAY, closed_at).late_by


def verdict(case: CaseFacts) -> int | None:
    """None: neither on time nor late (no met case clock); 0: on time; n > 0: late by n working days."""
    met = [c for c in case.clocks if c.status == "met" and c.on_time is not None]
    if not met:
        return None
    late = [c.late_workdays or 0 for c in met if not c.on_time]
    return max(late, default=0) if late else 0


def overdue(case: CaseFacts, now: datetime) -> bool:
    """Is a running case past the due moment of a running case clock?"""
    return case.running and any(
        c.status == "running" and c.due_at is not None and c.due_at <= now for c in case.clocks
    )


def figures(
    cases: Iterable[CaseFacts],
    escalations: int,
    period: ReportPeriod,
    now: datetime,
    calendar: WorkCalendar,
) -> Figures:
    """The figures of one group of cases over a period, as they stand at `now`."""
    cases = list(cases)
    finished = [c for c in cases if period.holds(c.finished_on)]
    verdicts = [v for v in (verdict(c) for c in finished) if v is not None]
    lateness = [v for v in verdicts if v > 0]
    handling = [
        calendar.workdays_between(c.received_on, c.finished_on) for c in finished if c.finished_on is not None
    ]
    return Figures(
        received=sum(1 for c in cases if period.holds(c.received_on)),
        finished=len(finished),
        on_time=len(verdicts) - len(lateness),
        late=len(lateness),
        late_days_total=sum(lateness),
        late_days_max=max(lateness, default=0),
        open_now=sum(1 for c in cases if c.running),
        overdue_now=sum(1 for c in cases if overdue(c, now)),
        escalations=escalations,
        median_days=median(handling),
        p90_days=percentile(handling, 90),
    )


def median(values: Sequence[int]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none."""
    return float(stats.median(values)) if values else None


def percentile(values: Sequence[int], p: int) -> int | None:
    """The nearest-rank p-th percentile: the ceil(p/100 * n)-th smallest value; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p * len(ordered) / 100)) - 1]


def beijing_day(moment: datetime) -> date:
    """The Beijing date of a moment."""
    return moment.astimezone(SERVICE_TZ).date()


def weeks_of(period: ReportPeriod) -> list[date]:
    """The Mondays of the ISO weeks (Monday to Sunday) that share at least one day with the period."""
    monday = period.first - timedelta(days=period.first.weekday())
    weeks = []
    while monday <= period.last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def per_week(days: Iterable[date], weeks: Sequence[date]) -> tuple[int, ...]:
    """How many of the days fall in each week (given by its Monday); days outside them are left out
    (STAT-2: items published per week, whole weeks even where the period cuts one)."""
    index = {monday: i for i, monday in enumerate(weeks)}
    counts = [0] * len(weeks)
    for day in days:
        i = index.get(day - timedelta(days=day.weekday()))
        if i is not None:
            counts[i] += 1
    return tuple(counts)


def week_label(monday: date) -> str:
    """A week in Chinese with its ISO number and its days: 第10周（03-02至03-08）."""
    sunday = monday + timedelta(days=6)
    return f"第{monday.isocalendar().week}周（{monday:%m-%d}至{sunday:%m-%d}）"


def week_text(monday: date) -> str:
    """A week's ISO name: 2026-W10."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def late_run(closed: Sequence[tuple[datetime, bool]], count: int, since: datetime | None) -> bool:
    """STAT-2: are a department's `count` latest submissions (newest first: when each closed, whether
    on time) all late, and all closed after `since` (its last request to explain), so that one run
    of late submissions asks once and the next run needs `count` new ones?"""
    latest = closed[:count]
    return (
        len(latest) == count
        and not any(on_time for _, on_time in latest)
        and (since is None or all(at > since for at, _ in latest))
    )
