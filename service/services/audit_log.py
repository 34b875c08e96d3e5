"""Reading the one audit log (ORG-4, issues 12 and 14): administrative entries and case history
lines side by side, newest first, filtered by person, case (tracking number), kind, target and days,
each saying whether it is sealed into the chain yet. Administrators only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    Select,
    String,
    cast,
    false,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from workflows.calendar import SERVICE_TZ
from workflows.text import text_problem

from ..errors import ServiceError, forbidden
from ..extensions import db
from ..models import AuditEntry, CaseEvent, ProcessInstance, User
from ..models.events import EventKind
from .audit import KIND_LABELS
from .case_view import EVENT_LABELS

MAX_FILTER_TEXT = 100
TEXT_FILTERS = ("actor", "case", "kind", "target_type", "target_id")
FILTER_LABELS = {
    "actor": "操作人",
    "case": "案件编号",
    "kind": "操作类型",
    "target_type": "对象类型",
    "target_id": "对象编号",
    "from": "开始日期",
    "to": "结束日期",
}
SOURCE_LABELS = {"audit_entry": "管理操作", "case_event": "办理记录"}


def kind_label(kind: str) -> str:
    """The words for a kind, administrative or case history (the page, the API's kind_label)."""
    return KIND_LABELS.get(kind) or EVENT_LABELS.get(kind) or kind


@dataclass(frozen=True)
class AuditFilter:
    """What the log is narrowed to; the days are whole days in the service's time zone, both included."""

    actor: str | None = None  # a username
    case: str | None = None  # a tracking number
    kind: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class LogItem:
    """One line of the log, whichever table holds it (source: audit_entry or case_event)."""

    source: str
    id: int
    at: datetime
    actor: User | None
    kind: str
    target_type: str
    target_id: str | None
    tracking_number: str | None  # the case it concerns, if any
    task_id: int | None
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    seq: int | None
    hash: str | None

    @property
    def sealed(self) -> bool:
        return self.seq is not None


@dataclass(frozen=True)
class LogPage:
    items: list[LogItem]
    total: int
    page: int
    per_page: int


def read_log(user: User, wanted: AuditFilter, page: int, per_page: int) -> LogPage:
    """One page of the lines that match, newest first, and how many match in all (administrators;
    anyone else is refused)."""
    if not user.is_admin:
        raise forbidden("只有管理员可以查看审计日志", "admin_only")
    both = union_all(*_selects(wanted)).subquery()
    total = db.session.scalar(select(func.count()).select_from(both)) or 0
    query = select(both).order_by(both.c.at.desc(), both.c.source.desc(), both.c.id.desc())
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return LogPage(_items(rows), total, page, per_page)


def _selects(wanted: AuditFilter) -> tuple[Select, Select]:
    case_id = _case_id(wanted.case) if wanted.case else None
    entries: Select = select(
        literal_column("'audit_entry'").label("source"),
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.actor_id,
        AuditEntry.kind,
        AuditEntry.target_type,
        AuditEntry.target_id,
        cast(null(), Integer).label("instance_id"),
        cast(null(), Integer).label("task_id"),
        AuditEntry.summary,
        AuditEntry.before,
        AuditEntry.after,
        AuditEntry.seq,
        AuditEntry.hash,
    )
    events: Select = select(
        literal_column("'case_event'"),
        CaseEvent.id,
        CaseEvent.at,
        CaseEvent.actor_id,
        CaseEvent.kind,
        literal_column("'case'"),
        cast(CaseEvent.instance_id, String),
        CaseEvent.instance_id,
        CaseEvent.task_id,
        literal_column("''"),
        cast(null(), JSON),
        CaseEvent.details,
        CaseEvent.seq,
        CaseEvent.hash,
    )
    if wanted.case:
        entries = entries.where(AuditEntry.target_type == "case", AuditEntry.target_id == str(case_id))
        events = events.where(CaseEvent.instance_id == (case_id or 0))
    if wanted.target_type:
        entries = entries.where(AuditEntry.target_type == wanted.target_type)
        events = events if wanted.target_type == "case" else events.where(false())
    if wanted.target_id:
        entries = entries.where(AuditEntry.target_id == wanted.target_id)
        events = events.where(cast(CaseEvent.instance_id, String) == wanted.target_id)
    return _common(entries, AuditEntry, wanted), _common(events, CaseEvent, wanted)


def _common(query: Select, model: Any, wanted: AuditFilter) -> Select:
    if wanted.actor:
        query = query.where(model.actor_id.in_(select(User.id).where(User.username == wanted.actor)))
    if wanted.kind:
        query = query.where(model.kind == wanted.kind)
    if wanted.start:
        query = query.where(model.at >= _day_start(wanted.start))
    if wanted.end:
        query = query.where(model.at < _day_start(wanted.end + timedelta(days=1)))
    return query


def _case_id(tracking_number: str) -> int | None:
    return db.session.scalar(
        select(ProcessInstance.id).where(ProcessInstance.tracking_number == tracking_number)
    )


def _items(rows: Sequence[Any]) -> list[LogItem]:
    actor_ids = {row.actor_id for row in rows if row.actor_id}
    actors = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
    )
    case_ids = {_case_of(row) for row in rows} - {None}
    numbers: dict[int, str | None] = {}
    if case_ids:
        query = select(ProcessInstance.id, ProcessInstance.tracking_number).where(
            ProcessInstance.id.in_(case_ids)
        )
        numbers = {case_id: number for case_id, number in db.session.execute(query)}
    return [
        LogItem(
            source=row.source,
            id=row.id,
            at=row.at,
            actor=actors.get(row.actor_id),
            kind=row.kind,
            target_type=row.target_type,
            target_id=row.target_id,
            tracking_number=numbers.get(_case_of(row) or 0),
            task_id=row.task_id,
            summary=row.summary or kind_label(row.kind),
            before=row.before,
            after=row.after,
            seq=row.seq,
            hash=row.hash,
        )
        for row in rows
    ]


def _case_of(row: Any) -> int | None:
    if row.instance_id is not None:
        return row.instance_id
    if row.target_type == "case" and (row.target_id or "").isdigit():
        return int(row.target_id)
    return None


def filter_of(args: Mapping[str, str]) -> AuditFilter:
    """The filter a query string asks for (actor, case, kind, target_type, target_id, from, to); a
    value that cannot be one is a 400 naming its parameter."""
    texts: dict[str, str | None] = {}
    for name in TEXT_FILTERS:
        value = (args.get(name) or "").strip()
        problem = text_problem(value) or (
            f"不能超过 {MAX_FILTER_TEXT} 个字" if len(value) > MAX_FILTER_TEXT else None
        )
        if problem:
            raise ServiceError("invalid_parameter", f"{FILTER_LABELS[name]}{problem}", 400, field=name)
        texts[name] = value or None
    start, end = _day_arg(args, "from"), _day_arg(args, "to")
    if start and end and start > end:
        raise ServiceError("invalid_parameter", "结束日期不能早于开始日期", 400, field="to")
    return AuditFilter(
        texts["actor"], texts["case"], texts["kind"], texts["target_type"], texts["target_id"], start, end
    )


def _day_arg(args: Mapping[str, str], name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        raise ServiceError(
            "invalid_parameter",
            f"{FILTER_LABELS[name]}须是 2000—2100 年间形如 2026-03-02 的日期",
            400,
            field=name,
        )
    return day


def kinds_offered() -> list[str]:
    """The administrative kinds the log holds, then every kind of case history (for the page's
    select; listing the history kinds saves a scan of the whole history)."""
    written = sorted(db.session.scalars(select(AuditEntry.kind).distinct()))
    return written + [str(kind) for kind in EventKind if str(kind) not in written]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), SERVICE_TZ)
