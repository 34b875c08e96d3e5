"""Recurring duties (REC-1..6) and the annual disclosure report (NAT-4, STAT-3): what an agency must do
on a schedule, which department does it, and for a given day which occurrence is open and when it is due.

A duty's schedule cuts time into periods (a year, a third of a year, a week, a half month, a day); each
period holds one occurrence, opened on its first day of the window and due on its last. The service
opens a case for the occurrence whose window holds today: a sweep that missed the first day (the
service was down) still opens it on a later day of the window, and a window already past is not
opened afterwards, so a restart never floods the inboxes with the past.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

# The rule IDs a duty may carry out.
DUTY_RULES = frozenset({"REC-1", "REC-2", "REC-3", "REC-4", "REC-5", "REC-6", "NAT-4", "STAT-3"})
ANNUAL_REPORT = "annual_report"
WEEKDAYS = "一二三四五六日"

_KEY = re.compile(r"[a-z][a-z0-9_]*")
_MONTH_DAY = re.compile(r"(\d\d)-(\d\d)")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


class AgencyKind(StrEnum):
    """Whether the agency is a government department or a local government (NAT-4's two dates)."""

    DEPARTMENT = "department"  # 政府部门: annual report by 31 January
    LOCAL_GOVERNMENT = "local_government"  # 地方人民政府: by 31 March


# 政府信息公开条例 Art. 49-50: the day each kind of agency publishes its annual report by.
NAT4_REPORT_DUE = {AgencyKind.DEPARTMENT: "01-31", AgencyKind.LOCAL_GOVERNMENT: "03-31"}


class Record(StrEnum):
    """What completing a duty asks for, besides the day it was done."""

    DONE = "done"  # what was done (a drill held, a key changed, a report published)
    READING = "reading"  # a duty record of reading the site: the problems found (REC-4)


@dataclass(frozen=True)
class Window:
    """One occurrence of a duty: its label, the period it belongs to, the day it opens and its due day."""

    label: str
    starts: date
    ends: date
    opens: date
    due: date

    def holds(self, day: date) -> bool:
        """Is `day` within the days the occurrence may be opened (opening day to due day)?"""
        return self.opens <= day <= self.due


class Schedule(Protocol):
    """How a duty recurs: the occurrence of the period holding a day, and the words for it."""

    def around(self, day: date) -> Window: ...

    def problems(self) -> list[str]: ...

    @property
    def words(self) -> str: ...


def _month_day(text: str, year: int) -> date:
    found = _MONTH_DAY.fullmatch(text)
    if found is None:
        raise ValueError(f"{text!r} is no MM-DD day")
    return date(year, int(found[1]), int(found[2]))


def _month_day_problem(text: str) -> str | None:
    try:
        _month_day(text, 2026)  # a common year: 02-29 would not exist in three years of four
    except ValueError:
        return f"{text!r} is no MM-DD day of every year"
    return None


@dataclass(frozen=True)
class Yearly:
    """Once a year: opens on `opens` (MM-DD), due on `due` (MM-DD) of the same year."""

    opens: str = "01-01"
    due: str = "12-31"

    def around(self, day: date) -> Window:
        year = day.year
        return Window(
            str(year),
            date(year, 1, 1),
            date(year, 12, 31),
            _month_day(self.opens, year),
            _month_day(self.due, year),
        )

    def problems(self) -> list[str]:
        found = [p for p in (_month_day_problem(self.opens), _month_day_problem(self.due)) if p]
        if not found and self.due < self.opens:
            found.append(f"due {self.due} comes before it opens ({self.opens})")
        return found

    @property
    def words(self) -> str:
        opens, due = _month_day(self.opens, 2026), _month_day(self.due, 2026)
        return f"每年{opens.month}月{opens.day}日起，{due.month}月{due.day}日前完成"


@dataclass(frozen=True)
class TimesAYear:
    """N times a year in equal windows of whole months (3 times: January-April, May-August,
    September-December), each opened on its first day and due on its last."""

    times: int

    def around(self, day: date) -> Window:
        months = 12 // self.times
        index = (day.month - 1) // months
        first = index * months + 1
        last = first + months - 1
        starts = date(day.year, first, 1)
        ends = date(day.year, last, calendar.monthrange(day.year, last)[1])
        return Window(f"{day.year}-{index + 1}", starts, ends, starts, ends)

    def problems(self) -> list[str]:
        if self.times not in (1, 2, 3, 4, 6, 12):
            return [f"{self.times} times a year does not cut the year into whole months"]
        return []

    @property
    def words(self) -> str:
        return f"每年{self.times}次（每{12 // self.times}个月一次）"


@dataclass(frozen=True)
class Weekly:
    """Every week: opens on Monday, due on `due_weekday` (0 Monday … 6 Sunday) of the same week."""

    due_weekday: int = 4

    def around(self, day: date) -> Window:
        monday = day - timedelta(days=day.weekday())
        year, week, _ = monday.isocalendar()
        return Window(
            f"{year}-W{week:02d}",
            monday,
            monday + timedelta(days=6),
            monday,
            monday + timedelta(days=self.due_weekday),
        )

    def problems(self) -> list[str]:
        return (
            [] if 0 <= self.due_weekday <= 6 else [f"due weekday {self.due_weekday} is not 0 (Monday) to 6"]
        )

    @property
    def words(self) -> str:
        return f"每周（周一起，周{WEEKDAYS[self.due_weekday]}前完成）"


@dataclass(frozen=True)
class TwiceAMonth:
    """Every half month: the 1st to the 15th and the 16th to the month's end, each due on its last day."""

    def around(self, day: date) -> Window:
        last = calendar.monthrange(day.year, day.month)[1]
        first_half = day.day <= 15
        starts = day.replace(day=1 if first_half else 16)
        ends = day.replace(day=15 if first_half else last)
        return Window(f"{day:%Y-%m}-{1 if first_half else 2}", starts, ends, starts, ends)

    def problems(self) -> list[str]:
        return []

    @property
    def words(self) -> str:
        return "每半个月（每月1日、16日起）"


@dataclass(frozen=True)
class Daily:
    """Every day, due the same day (a duty record of reading the site, REC-4)."""

    def around(self, day: date) -> Window:
        return Window(day.isoformat(), day, day, day, day)

    def problems(self) -> list[str]:
        return []

    @property
    def words(self) -> str:
        return "每日（当日完成）"


@dataclass(frozen=True)
class Duty:
    """A recurring duty of the agency: who does it, on what schedule, citing which rule and article."""

    key: str  # e.g. "drill"; an occurrence is named "drill:2026"
    title: str  # Chinese, shown as the case's title
    rule: str  # rule IDs, e.g. "REC-5"
    source: str  # e.g. "002 §33"
    department: str  # the Chinese name or code of the department that does it
    schedule: Schedule
    record: Record = Record.DONE

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The cited rule IDs one by one."""
        return tuple(part.strip() for part in self.rule.split(","))


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a duty that should have a case."""

    duty: Duty
    window: Window

    @property
    def key(self) -> str:
        """The occurrence's unique name, e.g. "drill:2026"."""
        return f"{self.duty.key}:{self.window.label}"


def due_openings(duties: Iterable[Duty], today: date) -> list[Occurrence]:
    """The occurrences whose window holds today: what should be open (once) on this day."""
    found = (Occurrence(duty, duty.schedule.around(today)) for duty in duties)
    return [occurrence for occurrence in found if occurrence.window.holds(today)]


def next_occurrence(duty: Duty, today: date) -> Occurrence:
    """The occurrence open today, else the next one to open."""
    window = duty.schedule.around(today)
    if today > window.due:
        window = duty.schedule.around(window.ends + timedelta(days=1))
    return Occurrence(duty, window)


def annual_report(kind: AgencyKind, *, local_due: str | None = None, local_source: str = "") -> Duty:
    """The annual disclosure report (NAT-4): by 31 January for a department, 31 March for a local
    government, or by a local measure's earlier day (STAT-3); the office begins it on 1 January."""
    due, rule, source = NAT4_REPORT_DUE[kind], "NAT-4", "政府信息公开条例 Art. 49-50"
    if local_due is not None:
        rule, source = "NAT-4, STAT-3", f"{source}; {local_source}"
        due = min(due, local_due)  # MM-DD text orders as the days do: the earlier binds
    return Duty(
        ANNUAL_REPORT, "编制发布政府信息公开工作年度报告", rule, source, "办公室", Yearly("01-01", due)
    )


def duty_problems(duties: tuple[Duty, ...], kind: AgencyKind) -> list[str]:
    """What is wrong with a profile's duties, for check_profile."""
    problems = []
    keys = [duty.key for duty in duties]
    if len(set(keys)) != len(keys):
        problems.append("duties repeat a key")
    for duty in duties:
        problems.extend(f"duty {duty.key}: {problem}" for problem in _one_duty_problems(duty))
    report = next((duty for duty in duties if duty.key == ANNUAL_REPORT), None)
    if report is None:
        problems.append("duties lack the annual report (NAT-4)")
    elif not isinstance(report.schedule, Yearly) or report.schedule.due > NAT4_REPORT_DUE[kind]:
        problems.append(f"the annual report of a {kind.value} is due by {NAT4_REPORT_DUE[kind]} (NAT-4)")
    return problems


def _one_duty_problems(duty: Duty) -> list[str]:
    problems = []
    if not _KEY.fullmatch(duty.key):
        problems.append("key must be lowercase letters, digits and _")
    if not _CHINESE.search(duty.title):
        problems.append("title must be Chinese")
    unknown = set(duty.rule_ids) - DUTY_RULES
    if unknown:
        problems.append(f"cites rule IDs that are no duty's: {', '.join(sorted(unknown))}")
    if not duty.source.strip() or not duty.department.strip():
        problems.append("needs a source article and a department")
    problems.extend(duty.schedule.problems())
    return problems
