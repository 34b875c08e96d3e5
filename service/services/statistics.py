"""Statistics from the cases themselves (STAT-1, issue 14): who may read them, and the queries that
feed workflows.statistics, which defines every figure.

The reports read the case, clock and history tables only, never a workflow's state. Read only: no
transaction is opened or committed here.

Who may read them: administrators, the office (any member of the department whose code the
setting GOVFLOW_OFFICE_DEPARTMENT names, 办公室 by default) and principal leaders see every
department; a leader in charge sees the departments they oversee; anyone else is refused (403).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from workflows.assignment import Role
from workflows.calendar import SERVICE_TZ, WorkCalendar
from workflows.statistics import (
    CaseFacts,
    ClockFacts,
    Figures,
    PeriodError,
    ReportPeriod,
    beijing_day,
    figures,
    late_workdays,
    parse_period,
    per_week,
    weeks_of,
)

from ..errors import ServiceError, forbidden
from ..extensions import db
from ..models import CaseEvent, Deadline, HumanTask, ProcessDefinition, ProcessInstance, User
from ..models.events import EventKind
from .calendar import current_calendar
from .clocks import bound_unit
from .engine import now
from .org import departments

GROUPINGS = {"department": "按处室", "flow": "按流程"}
UNOWNED = "未指定处室"
# Every figure in the order the page, the workbook and the API list it, with its Chinese heading.
COLUMNS = (
    ("received", "受理数"),
    ("finished", "办结数"),
    ("on_time", "按期办结"),
    ("late", "超期办结"),
    ("late_days_total", "超期合计（工作日）"),
    ("late_days_max", "最长超期（工作日）"),
    ("open_now", "当前在办"),
    ("overdue_now", "当前超期"),
    ("escalations", "督办次数"),
    ("median_days", "办理时长中位数（工作日）"),
    ("p90_days", "办理时长90%分位（工作日）"),
)


@dataclass(frozen=True)
class Scope:
    """The departments a reader may see (None: all of them, and cases no department owns)."""

    department_ids: frozenset[int] | None

    def sees(self, department_id: int | None) -> bool:
        if self.department_ids is None:
            return True
        return department_id is not None and department_id in self.department_ids


@dataclass(frozen=True)
class Row:
    key: str  # a department's code or a flow's key; "" for cases no department owns
    name: str
    figures: Figures


@dataclass(frozen=True)
class Report:
    period: ReportPeriod
    by: str
    generated_at: datetime
    rows: list[Row]
    total: Figures


def values(row: Figures) -> dict[str, Any]:
    """A row's figures by name, in COLUMNS order."""
    return {name: getattr(row, name) for name, _ in COLUMNS}


def scope_of(user: User) -> Scope:
    """What this person may read; 403 statistics_forbidden for anyone who may read none."""
    if user.is_admin:
        return Scope(None)
    office = current_app.config.get("GOVFLOW_OFFICE_DEPARTMENT", "office")
    if any(m.department.code == office or m.role == Role.PRINCIPAL_LEADER for m in user.memberships):
        return Scope(None)
    if user.oversights:
        return Scope(frozenset(o.department_id for o in user.oversights))
    raise forbidden("统计报表仅供管理员、办公室、主要领导和分管领导查看", "statistics_forbidden")


def may_read(user: User) -> bool:
    """Does this person see the statistics (the header's 统计 link)?"""
    try:
        scope_of(user)
    except ServiceError:
        return False
    return True


def this_month() -> str:
    """The current month (Beijing) as a period text: what the page shows when asked for none."""
    return beijing_day(now()).strftime("%Y-%m")


def suggested_periods() -> list[tuple[str, str]]:
    """The periods the page offers in one click, as (period text, words): this and last month,
    this quarter and this year, in Beijing."""
    today = beijing_day(now())
    last = today.replace(day=1) - timedelta(days=1)
    quarter = (today.month - 1) // 3 + 1
    return [
        (today.strftime("%Y-%m"), "本月"),
        (last.strftime("%Y-%m"), "上月"),
        (f"{today.year}-Q{quarter}", "本季度"),
        (str(today.year), "本年"),
    ]


def period_of(text: str | None) -> ReportPeriod:
    """The period a query parameter names; 400 invalid_parameter naming `period` otherwise."""
    if not text:
        raise ServiceError("invalid_parameter", "请指定统计时段 period", 400, field="period")
    try:
        return parse_period(text)
    except PeriodError as err:
        raise ServiceError("invalid_parameter", str(err), 400, field="period") from err


def grouping_of(text: str | None) -> str:
    by = text or "department"
    if by not in GROUPINGS:
        raise ServiceError("invalid_parameter", "by 应为 department 或 flow", 400, field="by")
    return by


def report(user: User, period: ReportPeriod, by: str) -> Report:
    """One table of figures (by department or by flow) with its total row, as of now."""
    scope = scope_of(user)
    at, calendar = now(), current_calendar()
    cases = _cases(period, scope, calendar)
    escalated = _escalations(period, scope)
    keyed = _by_department(cases, escalated, scope) if by == "department" else _by_flow(cases, escalated)
    rows = [Row(key, name, figures(group, count, period, at, calendar)) for key, name, group, count in keyed]
    every = [facts for _, _, facts in cases]
    total = figures(every, len(escalated), period, at, calendar)
    return Report(period, by, at, rows, total)


# (owning department id, flow key, facts) per case; (department id, flow key) per escalation.
Case = tuple[int | None, str, CaseFacts]
Escalation = tuple[int | None, str]
Keyed = list[tuple[str, str, list[CaseFacts], int]]


def _by_department(cases: list[Case], escalated: list[Escalation], scope: Scope) -> Keyed:
    grouped: dict[int | None, list[CaseFacts]] = defaultdict(list)
    for department_id, _, facts in cases:
        grouped[department_id].append(facts)
    counts = _count(department_id for department_id, _ in escalated)
    keyed: Keyed = [
        (d.code, d.name, grouped.get(d.id, []), counts.get(d.id, 0))
        for d in departments()
        if scope.sees(d.id)
    ]
    if grouped.get(None) or counts.get(None):
        keyed.append(("", UNOWNED, grouped.get(None, []), counts.get(None, 0)))
    return keyed


def _by_flow(cases: list[Case], escalated: list[Escalation]) -> Keyed:
    grouped: dict[str, list[CaseFacts]] = defaultdict(list)
    for _, key, facts in cases:
        grouped[key].append(facts)
    counts = _count(key for _, key in escalated)
    return [(key, name, grouped.get(key, []), counts.get(key, 0)) for key, name in _flows()]


def _count(keys: Iterable[Any]) -> dict[Any, int]:
    counts: dict[Any, int] = defaultdict(int)
    for key in keys:
        counts[key] += 1
    return counts


def _flows() -> list[tuple[str, str]]:
    """Every deployed flow's key and the name of its newest version, by key."""
    query = select(ProcessDefinition.key, ProcessDefinition.name).order_by(
        ProcessDefinition.key, ProcessDefinition.version.desc()
    )
    names: dict[str, str] = {}
    for key, name in db.session.execute(query):
        names.setdefault(key, name)
    return list(names.items())


def _case_filter(period: ReportPeriod, scope: Scope):
    """Cases a report needs: received or finished in the period, or running now; in scope."""
    start, end = period.start_moment(), period.end_moment()
    wanted = or_(
        and_(ProcessInstance.started_at >= start, ProcessInstance.started_at < end),
        and_(ProcessInstance.completed_at >= start, ProcessInstance.completed_at < end),
        ProcessInstance.status == "running",
    )
    if scope.department_ids is None:
        return wanted
    return and_(wanted, ProcessInstance.owning_department_id.in_(sorted(scope.department_ids)))


def _cases(period: ReportPeriod, scope: Scope, calendar: WorkCalendar) -> list[Case]:
    condition = _case_filter(period, scope)
    query = (
        select(
            ProcessInstance.id,
            ProcessInstance.owning_department_id,
            ProcessDefinition.key,
            ProcessInstance.status,
            ProcessInstance.started_at,
            ProcessInstance.completed_at,
        )
        .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
        .where(condition)
    )
    found = db.session.execute(query).all()
    clocks = _case_clocks(condition, calendar)
    return [
        (
            owner,
            key,
            CaseFacts(
                received_on=beijing_day(started),
                finished_on=beijing_day(completed) if status == "completed" and completed else None,
                running=status == "running",
                clocks=tuple(clocks.get(case_id, ())),
            ),
        )
        for case_id, owner, key, status, started, completed in found
    ]


def _case_clocks(condition, calendar: WorkCalendar) -> dict[int, list[ClockFacts]]:
    """The staff's case clocks (not a task's, not a waiting one) of the cases the filter selects."""
    cases = select(ProcessInstance.id).where(condition)
    query = select(Deadline).where(
        Deadline.instance_id.in_(cases), Deadline.task_id.is_(None), Deadline.waiting.is_(False)
    )
    found: dict[int, list[ClockFacts]] = defaultdict(list)
    for clock in db.session.scalars(query):
        found[clock.instance_id].append(_facts(clock, calendar))
    return found


def _facts(clock: Deadline, calendar: WorkCalendar) -> ClockFacts:
    late = None
    if clock.on_time is False and clock.due_on is not None and clock.closed_at is not None:
        late = late_workdays(calendar, bound_unit(clock), clock.late_by or 0, clock.due_on, clock.closed_at)
    return ClockFacts(clock.status, clock.due_at, clock.on_time, late)


def _escalations(period: ReportPeriod, scope: Scope) -> list[Escalation]:
    """Each escalation raised in the period: the department escalated to, and the case's flow."""
    task = aliased(HumanTask)
    query = (
        select(task.department_id, ProcessInstance.owning_department_id, ProcessDefinition.key)
        .select_from(CaseEvent)
        .join(ProcessInstance, ProcessInstance.id == CaseEvent.instance_id)
        .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
        .outerjoin(task, task.id == CaseEvent.task_id)
        .where(
            CaseEvent.kind == EventKind.ESCALATED.value,
            CaseEvent.at >= period.start_moment(),
            CaseEvent.at < period.end_moment(),
        )
    )
    found: list[Escalation] = []
    for task_department, owner, key in db.session.execute(query):
        department_id = task_department if task_department is not None else owner
        if scope.sees(department_id):
            found.append((department_id, key))
    return found


@dataclass(frozen=True)
class WeeklyRow:
    key: str  # a department's code; "" for items no department owns
    name: str
    counts: tuple[int, ...]  # items published in each week of Weekly.weeks

    def missed(self) -> list[int]:
        """The positions of the weeks with nothing published (无发布, STAT-2)."""
        return [i for i, count in enumerate(self.counts) if count == 0]


@dataclass(frozen=True)
class Weekly:
    """Items published per department in each ISO week that overlaps the period (STAT-2)."""

    weeks: list[date]  # their Mondays
    rows: list[WeeklyRow]


def weekly_published(user: User, period: ReportPeriod) -> Weekly:
    """Per department in the reader's scope, the items published (published_on) in each week (whole
    weeks: the period's first and last may be cut)."""
    scope = scope_of(user)
    weeks = weeks_of(period)
    grouped: dict[int | None, list[date]] = defaultdict(list)
    for department_id, day in _published(weeks[0], scope):
        grouped[department_id].append(day)
    rows = [
        WeeklyRow(d.code, d.name, per_week(grouped.get(d.id, []), weeks))
        for d in departments()
        if scope.sees(d.id)
    ]
    unowned = per_week(grouped.get(None, []), weeks)
    if any(unowned):
        rows.append(WeeklyRow("", UNOWNED, unowned))
    return Weekly(weeks, rows)


def _published(first_monday: date, scope: Scope) -> list[tuple[int | None, date]]:
    """(owning department, published_on) of publishing cases that went out: published_on is set at
    publication, while the case may still be open for the post-publication check (a cancelled case
    is left out). The date lives in the case data (JSON), read here in Python rather than with
    database-specific JSON SQL; a case completed before the first week began is left out, as it was
    published before it was completed."""
    start = datetime.combine(first_monday, datetime.min.time(), SERVICE_TZ)
    query = (
        select(ProcessInstance.owning_department_id, ProcessInstance.data)
        .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
        .where(
            ProcessDefinition.key == "publishing",
            ProcessInstance.status.in_(("running", "completed")),
            or_(ProcessInstance.completed_at.is_(None), ProcessInstance.completed_at >= start),
        )
    )
    if scope.department_ids is not None:
        query = query.where(ProcessInstance.owning_department_id.in_(sorted(scope.department_ids)))
    found = []
    for department_id, data in db.session.execute(query):
        day = _date_or_none((data or {}).get("published_on"))
        if day is not None:
            found.append((department_id, day))
    return found


def _date_or_none(value: Any) -> date | None:
    """A date field as the case data stores it (ISO text); None when missing or malformed."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
