"""Writing and reading the administrative audit log (ORG-4): one call per administrative change,
inside the transaction that makes the change, so the entry and the change commit or roll back
together. Entries are only ever added: nothing here (or anywhere in the service) changes or
removes one (tests/service/test_audit_log.py checks the code for it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, select

from workflows.calendar import SERVICE_TZ
from workflows.text import text_problem

from ..errors import ServiceError, forbidden
from ..extensions import db
from ..models import AuditEntry, User
from .engine import now

MAX_SUMMARY = 500
MAX_FILTER_TEXT = 100
TEXT_FILTERS = ("actor", "kind", "target_type", "target_id")


class AuditKind(StrEnum):
    """The kinds of administrative change this service writes (the organisation pages add theirs)."""

    DIAGRAM_DEPLOYED = "diagram_deployed"
    CASE_MIGRATED = "case_migrated"
    CASE_CANCELLED = "case_cancelled"
    CALENDAR_DAY_SET = "calendar_day_set"
    CALENDAR_DAY_REMOVED = "calendar_day_removed"
    CALENDAR_YEAR_CONFIRMED = "calendar_year_confirmed"
    CALENDAR_YEAR_WITHDRAWN = "calendar_year_withdrawn"
    TERM_ADDED = "screening_term_added"
    TERM_UPDATED = "screening_term_updated"
    TERM_DELETED = "screening_term_deleted"
    TERMS_IMPORTED = "screening_terms_imported"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    ACCOUNT_UNLOCKED = "account_unlocked"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"
    DEMO_SEEDED = "demo_seeded"
    USER_CREATED = "user_created"
    DEPARTMENT_CREATED = "department_created"
    DEPARTMENT_CHANGED = "department_changed"
    PERSON_CREATED = "person_created"
    PERSON_CHANGED = "person_changed"
    PERSON_DEACTIVATED = "person_deactivated"
    PERSON_REACTIVATED = "person_reactivated"


# The words people read for each kind (the page, the API's kind_label); every kind written has one.
KIND_LABELS: dict[str, str] = {
    AuditKind.DIAGRAM_DEPLOYED: "部署流程图",
    AuditKind.CASE_MIGRATED: "迁移案件",
    AuditKind.CASE_CANCELLED: "撤销案件",
    AuditKind.CALENDAR_DAY_SET: "录入日历日期",
    AuditKind.CALENDAR_DAY_REMOVED: "删除日历日期",
    AuditKind.CALENDAR_YEAR_CONFIRMED: "确认年度日历",
    AuditKind.CALENDAR_YEAR_WITHDRAWN: "撤回年度日历确认",
    AuditKind.TERM_ADDED: "添加错敏词",
    AuditKind.TERM_UPDATED: "修改错敏词",
    AuditKind.TERM_DELETED: "删除错敏词",
    AuditKind.TERMS_IMPORTED: "导入错敏词库",
    AuditKind.PASSWORD_CHANGED: "修改密码",
    AuditKind.PASSWORD_RESET: "重置密码",
    AuditKind.ACCOUNT_UNLOCKED: "解除锁定",
    AuditKind.TOKEN_CREATED: "新建访问令牌",
    AuditKind.TOKEN_REVOKED: "撤销访问令牌",
    AuditKind.DEMO_SEEDED: "创建演示组织",
    AuditKind.USER_CREATED: "创建账号",
    AuditKind.DEPARTMENT_CREATED: "新建部门",
    AuditKind.DEPARTMENT_CHANGED: "修改部门",
    AuditKind.PERSON_CREATED: "新建人员",
    AuditKind.PERSON_CHANGED: "修改人员",
    AuditKind.PERSON_DEACTIVATED: "停用人员",
    AuditKind.PERSON_REACTIVATED: "恢复人员",
}

TARGET_LABELS = {
    "process_definition": "流程图",
    "case": "案件",
    "calendar_day": "日历日期",
    "calendar_year": "日历年度",
    "screening_term": "错敏词",
    "word_list": "错敏词库",
    "user": "账号",
    "department": "部门",
    "organisation": "组织",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def record(
    actor: User | None,
    kind: str,
    target_type: str,
    target_id: Any,
    summary: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one entry: who (None: the system or a command line), what kind of change, to what, a line
    saying it in Chinese, and the state before and after where it matters (never a secret)."""
    db.session.add(
        AuditEntry(
            at=now(),
            actor_id=actor.id if actor else None,
            kind=str(kind),
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            summary=summary[:MAX_SUMMARY],
            before=before,
            after=after,
        )
    )


@dataclass(frozen=True)
class AuditFilter:
    """What the log is narrowed to; the days are whole days in the service's time zone, both included."""

    actor: str | None = None  # a username
    kind: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class LogPage:
    items: list[AuditEntry]
    total: int
    page: int
    per_page: int


def read_log(user: User, wanted: AuditFilter, page: int, per_page: int) -> LogPage:
    """One page of the entries that match, newest first, and how many match in all (administrators;
    anyone else is refused)."""
    if not user.is_admin:
        raise forbidden("只有管理员可以查看审计日志", "admin_only")
    total = db.session.scalar(_filtered(select(func.count(AuditEntry.id)), wanted)) or 0
    query = _filtered(select(AuditEntry), wanted).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    return LogPage(list(rows.unique()), total, page, per_page)


def filter_of(args: Mapping[str, str]) -> AuditFilter:
    """The filter a query string asks for (actor, kind, target_type, target_id, from, to); a value
    that cannot be one is a 400 naming its parameter."""
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
    return AuditFilter(texts["actor"], texts["kind"], texts["target_type"], texts["target_id"], start, end)


FILTER_LABELS = {
    "actor": "操作人",
    "kind": "操作类型",
    "target_type": "对象类型",
    "target_id": "对象编号",
    "from": "开始日期",
    "to": "结束日期",
}


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


def kinds_written() -> list[str]:
    """Every kind the log holds (for the page's select)."""
    return sorted(db.session.scalars(select(AuditEntry.kind).distinct()))


def _filtered(query: Select, wanted: AuditFilter) -> Select:
    if wanted.actor:
        query = query.join(User, User.id == AuditEntry.actor_id).where(User.username == wanted.actor)
    if wanted.kind:
        query = query.where(AuditEntry.kind == wanted.kind)
    if wanted.target_type:
        query = query.where(AuditEntry.target_type == wanted.target_type)
    if wanted.target_id:
        query = query.where(AuditEntry.target_id == wanted.target_id)
    if wanted.start:
        query = query.where(AuditEntry.at >= _day_start(wanted.start))
    if wanted.end:
        query = query.where(AuditEntry.at < _day_start(wanted.end + timedelta(days=1)))
    return query


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), SERVICE_TZ)
