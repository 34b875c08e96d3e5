"""The annual disclosure report (STAT-3, NAT-3, NAT-4): its figures counted from the cases, beside the
ones the office entered (disclosure_report_entries). workflows.disclosure_report defines every row.

Read only, and only the case tables (process_instance with its `data`, deadline, case_event), never a
workflow's state. The counting is done by the database: one grouped query per table, whose answer
has a row per kind of case (not per case), so the Python work does not grow with the year's cases.

Who may read it: the ones statistics.scope_of lets see every department (administrators, the office,
principal leaders); it covers the whole organisation, so a leader in charge of some is refused too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, case, func, literal, or_, select

from workflows import disclosure_report as rules
from workflows.statistics import PeriodError, ReportPeriod, beijing_day, parse_period

from ..errors import ServiceError, forbidden
from ..extensions import db
from ..models import CaseEvent, Deadline, ProcessDefinition, ProcessInstance, User
from ..models.events import EventKind
from . import statistics
from .deployment import newest_definition
from .disclosure_report_entries import Entries, entries_of
from .engine import engine, now

REQUEST_FLOW = "disclosure_request"
PUBLISHING_FLOW = "publishing"


@dataclass(frozen=True)
class Published:
    item_type: str
    label: str
    count: int


@dataclass(frozen=True)
class AnnualReport:
    year: int
    title: str  # the agency's name (the profile's title)
    generated_at: datetime
    published: list[Published]  # 二、主动公开: items the publishing flow published in the year
    requests: rules.RequestTable  # 三、the request table, totals included
    broken_columns: list[str]  # columns where the identity fails (a warning on the page)
    entries: Entries  # the figures and texts the office entered
    appeal_totals: dict[str, int] = field(default_factory=dict)

    @property
    def published_total(self) -> int:
        return sum(p.count for p in self.published)


def check_reader(user: User) -> None:
    """403 report_forbidden unless this person sees every department (the report covers them all)."""
    try:
        scope = statistics.scope_of(user)
    except ServiceError:
        scope = None
    if scope is None or scope.department_ids is not None:
        raise forbidden("政府信息公开工作年度报告仅供管理员、办公室和主要领导查看", "report_forbidden")


def may_read(user: User) -> bool:
    try:
        check_reader(user)
    except ServiceError:
        return False
    return True


def year_of(text: str | None) -> int:
    """The year a query parameter names; 400 invalid_parameter naming `year` otherwise."""
    if not text:
        raise ServiceError("invalid_parameter", "请指定报告年度 year", 400, field="year")
    try:
        period = parse_period(text)
    except PeriodError as err:
        raise ServiceError("invalid_parameter", str(err), 400, field="year") from err
    if period.text != str(period.first.year) or period.first.month != 1 or period.last.month != 12:
        raise ServiceError("invalid_parameter", "year 应为四位年份，如 2026", 400, field="year")
    return period.first.year


def year_due() -> int:
    """The year whose report is being written now: last year (it is published by 31 March, NAT-4)."""
    return beijing_day(now()).year - 1


def report(user: User, year: int) -> AnnualReport:
    """The whole report of a year, as of now."""
    check_reader(user)
    period = parse_period(str(year))
    table = rules.RequestTable()
    for row in _request_groups(period) + _cancelled(period):
        _count(table, row)
    requests = table.completed()
    entries = entries_of(year)
    return AnnualReport(
        year=year,
        title=engine().profile.title,
        generated_at=now(),
        published=_published(period),
        requests=requests,
        broken_columns=requests.broken_columns(),
        entries=entries,
        appeal_totals=rules.appeal_totals(entries.numbers),
    )


def _count(table: rules.RequestTable, row: dict[str, Any]) -> None:
    """Add one group of like requests (`row`: applicant, reply, when, how many) to the table."""
    column = rules.column_of({"applicant_type": row["applicant"], "organisation_kind": row["applicant"]})
    how_many = row["how_many"]
    for phase in rules.phases(row["received"], row["finished"]):
        if phase != rules.HANDLED:
            table.add(phase, column, how_many)
            continue
        data, ending = _reply_of(row["reply"])
        result, known = rules.result_of(data, row["status"], ending)
        table.add(result, column, how_many)
        if not known:
            table.unclassified += how_many


# How the query writes a reply in one text (see _reply): "category", "category:reason", or "@" and
# the outcome of the marked end event the case reached without a category.
REASON_MARK, ENDING_MARK = ":", "@"


def _reply_of(reply: str | None) -> tuple[dict[str, Any], str | None]:
    """The reply's case data (category and its reason) and the end outcome, from the query's text."""
    if not reply:
        return {}, None
    if reply.startswith(ENDING_MARK):
        return {}, reply[1:]
    category, _, reason = reply.partition(REASON_MARK)
    if category in rules.GROUPS:
        return {"category": category, rules.GROUPS[category][1]: reason or None}, None
    return {"category": category}, None


def _field(name: str):
    return ProcessInstance.data[name].as_string()


def _applicant():
    """person, or the organisation's kind (as the form left it; rules.column_of judges it)."""
    return case(
        (_field("applicant_type") == rules.PERSON, literal(rules.PERSON)), else_=_field("organisation_kind")
    )


def _reply(ended_at_mark) -> Any:
    """The reply category with its reason in one text, each read from the JSON once (a CASE x WHEN
    … reads x once; reading the JSON is what the report's time is made of). A case without a known
    category gives its end outcome instead (`ended_at_mark`, read only then)."""
    plain = {category: literal(category) for category in rules.PLAIN_CATEGORIES}
    grouped = {
        category: literal(category + REASON_MARK) + func.coalesce(_field(reason_field), "")
        for category, (_, reason_field, _) in rules.GROUPS.items()
    }
    by_category = case({**plain, **grouped}, value=_field("category"), else_=literal(None, String))
    return func.coalesce(by_category, literal(ENDING_MARK) + ended_at_mark)


def _received_when(period: ReportPeriod):
    """before / in / after the year: the received_on the office registered, else the day it started.
    Its year is looked at first, so a request of the year reads the JSON once."""
    received = _field("received_on")
    return case(
        {str(period.first.year): literal(rules.IN)},
        value=func.substr(received, 1, 4),
        else_=case(
            (received.is_(None), _moment_when(ProcessInstance.started_at, period)),
            (received < period.first.isoformat(), literal(rules.BEFORE)),
            (received <= period.last.isoformat(), literal(rules.IN)),
            else_=literal(rules.AFTER),
        ),
    )


def _moment_when(moment, period: ReportPeriod):
    return case(
        (moment < period.start_moment(), literal(rules.BEFORE)),
        (moment < period.end_moment(), literal(rules.IN)),
        else_=literal(rules.AFTER),
    )


def _flow_ids(key: str = REQUEST_FLOW):
    """Every version of a flow: a subquery the case table's definition index answers."""
    return select(ProcessDefinition.id).where(ProcessDefinition.key == key).scalar_subquery()


def _request_groups(period: ReportPeriod) -> list[dict[str, Any]]:
    """Running and completed requests not finished before the year, grouped by everything that
    decides their cells. A completed one whose data names no category ended at a marked end event:
    its case clock closed with that outcome (abandoned, returned)."""
    marked = (
        select(func.max(Deadline.status))
        .where(
            Deadline.instance_id == ProcessInstance.id,
            Deadline.task_id.is_(None),
            Deadline.status.in_(("abandoned", "returned")),
        )
        .scalar_subquery()
    )
    ended = case((ProcessInstance.status == "completed", marked), else_=literal(None, String))
    per_case = (
        select(
            _applicant().label("applicant"),
            _reply(ended).label("reply"),
            ProcessInstance.status.label("status"),
            _received_when(period).label("received"),
            case(
                (ProcessInstance.status == "running", literal(rules.OPEN)),
                else_=_moment_when(ProcessInstance.completed_at, period),
            ).label("finished"),
        )
        .where(
            ProcessInstance.definition_id.in_(_flow_ids()),
            ProcessInstance.status.in_(("running", "completed")),
            or_(
                ProcessInstance.completed_at.is_(None), ProcessInstance.completed_at >= period.start_moment()
            ),
        )
        .subquery()
    )
    names = ("applicant", "reply", "status", "received", "finished")
    keys = [per_case.c[name] for name in names]
    query = select(*keys, func.count().label("how_many")).group_by(*keys)
    return [dict(row._mapping) for row in db.session.execute(query)]


def _cancelled(period: ReportPeriod) -> list[dict[str, Any]]:
    """Requests cancelled (撤销, or withdrawn by the applicant): finished when they were cancelled.
    Few, so one row each; the day comes from the case history, as a cancellation sets no completed_at."""
    cancelled_at = (
        select(func.max(CaseEvent.at))
        .where(CaseEvent.instance_id == ProcessInstance.id, CaseEvent.kind == EventKind.CASE_CANCELLED.value)
        .scalar_subquery()
    )
    query = select(
        _applicant().label("applicant"),
        _reply(literal(None, String)).label("reply"),
        _received_when(period).label("received"),
        cancelled_at.label("cancelled_at"),
    ).where(ProcessInstance.definition_id.in_(_flow_ids()), ProcessInstance.status == "cancelled")
    found = []
    for row in db.session.execute(query):
        facts = dict(row._mapping)
        moment = facts.pop("cancelled_at")
        finished = rules.when(beijing_day(moment) if moment else None, period.first.year)
        found.append({**facts, "status": "cancelled", "finished": finished, "how_many": 1})
    return found


def _published(period: ReportPeriod) -> list[Published]:
    """Items the publishing flow published in the year (published_on), per item type, in the order
    the publishing form lists its types; a cancelled case is left out, as statistics._published does."""
    published = _field("published_on")
    # The status is grouped by, not filtered on: a filter on it would tempt the planner to scan the
    # status index (every case) instead of the definition's.
    per_case = (
        select(_field("item_type").label("item_type"), ProcessInstance.status.label("status"))
        .where(
            ProcessInstance.definition_id.in_(_flow_ids(PUBLISHING_FLOW)),
            published >= period.first.isoformat(),
            published <= period.last.isoformat(),
        )
        .subquery()
    )
    keys = (per_case.c.item_type, per_case.c.status)
    counts: dict[str, int] = {}
    for item_type, status, count in db.session.execute(select(*keys, func.count()).group_by(*keys)):
        if status != "cancelled":
            counts[item_type or ""] = counts.get(item_type or "", 0) + count
    labels = _item_type_labels()
    ordered = [key for key in labels if key in counts] + sorted(k for k in counts if k not in labels)
    return [Published(key, labels.get(key) or key or "未注明类型", counts[key]) for key in ordered]


def _item_type_labels() -> dict[str, str]:
    definition = newest_definition(PUBLISHING_FLOW)
    if definition is None:
        return {}
    return engine().definition(definition).option_labels().get("item_type", {})
