"""The register of the website's columns (COL-1..4): who may keep it, reading it with each column's
state, adding and editing columns (audit-logged, 409 on a stale version), and moving a column's last
update when something is published in it. Opening and closing by request, and the reminders, are
services/column_flows.py; the NAT-7 risk page is services/column_risk.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflows.calendar import shift
from workflows.columns import ColumnFacts, Freshness, freshness
from workflows.periods import Period, Unit
from workflows.profiles import Profile
from workflows.profiles.columns import KIND_LABELS, KINDS
from workflows.text import text_problem

from ..errors import ServiceError, conflict, field_error, forbidden, invalid, not_found, take_version
from ..extensions import db
from ..models import SiteColumn, User
from . import audit
from .clocks import date_value, today
from .engine import engine, now
from .org import department_by_code
from .unit import in_transaction

T = TypeVar("T")
STALE = "该栏目已被他人修改，请刷新后重试"
STATUS_LABELS = {"open": "开设", "closed": "已关停"}
STATE_LABELS = {"fresh": "按时更新", "stale": "超期未更新", "empty": "空白栏目"}
# (field, label, longest) of the text fields a column has.
TEXT_FIELDS = (("name", "栏目名称", 100), ("path", "栏目路径", 200), ("content_plan", "内容保障措施", 2000))
MAX_LEVEL = 5


@dataclass(frozen=True)
class ColumnView:
    """A column with the interval that applies to it and its state today."""

    column: SiteColumn
    interval: Period
    default_interval: Period
    state: Freshness

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.column.kind, self.column.kind)


def _member_of(user: User, config_key: str, default: str) -> bool:
    code = current_app.config.get(config_key, default)
    return any(m.department.code == code for m in user.memberships)


def office_code() -> str:
    """The code of the general office, which settles disputes over owners (COL-1) and reads the risks."""
    return str(current_app.config.get("GOVFLOW_OFFICE_DEPARTMENT", "office"))


def in_centre(user: User) -> bool:
    """Does this person work in the information centre?"""
    return _member_of(user, "GOVFLOW_CENTRE_DEPARTMENT", "info_center")


def may_keep(user: User) -> bool:
    """May this person add and edit columns (administrators and the information centre)?"""
    return bool(user.is_admin) or in_centre(user)


def interval_of(column: SiteColumn, profile: Profile) -> tuple[Period, Period]:
    """The column's own interval (stricter, if set) and its kind's interval in the profile (COL-3)."""
    default = profile.columns.interval(column.kind, column.level).period
    own = Period(column.interval_days, Unit.DAY) if column.interval_days else default
    return own, default


def facts(column: SiteColumn, profile: Profile) -> ColumnFacts:
    """What the rules in workflows.columns need of a column."""
    interval, _ = interval_of(column, profile)
    return ColumnFacts(
        column.id, column.name, column.kind, column.level, interval, column.opened_on, column.last_update
    )


def view(column: SiteColumn, day: date | None = None) -> ColumnView:
    profile = engine().profile
    own, default = interval_of(column, profile)
    return ColumnView(column, own, default, freshness(facts(column, profile), day or today()))


def open_columns() -> list[SiteColumn]:
    """The open columns, by path."""
    query = select(SiteColumn).where(SiteColumn.status == "open").order_by(SiteColumn.path)
    return list(db.session.scalars(query))


def register(status: str | None = None) -> list[ColumnView]:
    """The register with each column's state, by path; `status` narrows it to open or closed."""
    query = select(SiteColumn).order_by(SiteColumn.status.desc(), SiteColumn.path)
    if isinstance(status, str) and status in STATUS_LABELS:
        query = query.where(SiteColumn.status == status)
    day = today()
    return [view(column, day) for column in db.session.scalars(query)]


def column(column_id: int) -> SiteColumn:
    found = db.session.get(SiteColumn, column_id)
    if found is None:
        raise not_found("栏目", "column_not_found")
    return found


def matching(name_or_path: str) -> SiteColumn | None:
    """The open column a publishing form's 发布栏目 names, by path or (if only one has it) by name."""
    text = name_or_path.strip()
    if not text:
        return None
    by_path = db.session.scalar(
        select(SiteColumn).where(SiteColumn.path == text, SiteColumn.status == "open")
    )
    if by_path is not None:
        return by_path
    named = list(
        db.session.scalars(select(SiteColumn).where(SiteColumn.name == text, SiteColumn.status == "open"))
    )
    return named[0] if len(named) == 1 else None


def suggestions() -> list[tuple[str, str]]:
    """What a 发布栏目 field suggests: each open column's path, with its name and owner to read."""
    return [(row.path, f"{row.name}（{row.department.name}）") for row in open_columns()]


def add_column(user: User, data: Any) -> SiteColumn:
    """Add a column to the register by hand (administrators and the centre), audit-logged."""
    require_keeper(user)
    values = _valid(data, versioned=False)
    return _changing(lambda: _add(values, user))


def update_column(user: User, column_id: int, data: Any) -> SiteColumn:
    """Change a column; `version` must be the one read (else 409), audit-logged."""
    require_keeper(user)
    values = _valid(data, versioned=True)
    return _changing(lambda: _update(column(column_id), values, user))


def create(values: Mapping[str, Any], actor: User | None, summary: str) -> SiteColumn:
    """A new open column in the caller's transaction (a hand entry or an approved request)."""
    _refuse_taken(values["path"])
    row = SiteColumn(**values, opened_on=today(), status="open", updated_at=now(), updated_by=actor)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, audit.AuditKind.COLUMN_ADDED, "site_column", row.id, summary, after=state_of(row))
    return row


def close(row: SiteColumn, actor: User | None, summary: str) -> None:
    """Close a column in the caller's transaction (an approved request or the centre's closure)."""
    before = state_of(row)
    row.status, row.closed_on, row.updated_at, row.updated_by = "closed", today(), now(), actor
    db.session.flush()
    _audit_change(actor, row, before, summary)


def touch(row: SiteColumn, day: date) -> bool:
    """Move the column's last update to `day` unless it already is later; whether it moved."""
    if row.last_update is not None and row.last_update >= day:
        return False
    row.last_update, row.updated_at = day, now()
    db.session.flush()
    for hook in TOUCH_HOOKS:
        hook(row)
    return True


# Called in the same transaction when a column's last update moves (column_flows ends its reminder).
TOUCH_HOOKS: list[Callable[[SiteColumn], None]] = []


def state_of(row: SiteColumn) -> dict[str, Any]:
    return {
        "name": row.name,
        "path": row.path,
        "level": row.level,
        "kind": row.kind,
        "department": row.department.code if row.department else None,
        "interval_days": row.interval_days,
        "last_update": row.last_update.isoformat() if row.last_update else None,
        "status": row.status,
    }


def _add(values: dict[str, Any], user: User) -> SiteColumn:
    last = values.pop("last_update", None)
    values.pop("status", None)
    row = create(values, user, f"登记栏目“{values['name']}”（{values['path']}）")
    if last is not None:
        row.last_update = last
    return row


def _update(row: SiteColumn, values: dict[str, Any], user: User) -> SiteColumn:
    if values.pop("version") != row.version:
        raise conflict(STALE, "concurrent_modification")
    if values["path"] != row.path:
        _refuse_taken(values["path"])
    before = state_of(row)
    status = values.pop("status", None) or row.status
    for name, value in values.items():
        setattr(row, name, value)
    if status != row.status:
        row.status, row.closed_on = status, today() if status == "closed" else None
    row.updated_at, row.updated_by = now(), user
    db.session.flush()
    for hook in TOUCH_HOOKS if row.last_update != date_value(before["last_update"]) else ():
        hook(row)
    summary = f"修改栏目“{before['name']}”（{before['path']}）"
    _audit_change(user, row, before, summary)
    return row


def _audit_change(actor: User | None, row: SiteColumn, before: dict[str, Any], summary: str) -> None:
    kind = audit.AuditKind.COLUMN_CHANGED
    audit.record(actor, kind, "site_column", row.id, summary, before=before, after=state_of(row))


def _changing(work: Callable[[], T]) -> T:
    try:
        return in_transaction(work)
    except IntegrityError as err:  # another request took the path meanwhile
        raise ServiceError("path_taken", "该栏目路径已被占用", 409, field="path") from err
    except ServiceError as err:
        if err.code == "concurrent_modification":
            raise conflict(STALE, err.code) from err
        raise


def _refuse_taken(path: str) -> None:
    if db.session.scalar(select(SiteColumn.id).where(SiteColumn.path == path)) is not None:
        raise ServiceError("path_taken", f"栏目路径“{path}”已被占用", 409, field="path")


def require_keeper(user: User) -> None:
    """403 columns_forbidden for anyone who may not keep the register."""
    if not may_keep(user):
        raise forbidden("只有管理员和信息中心可以维护栏目登记", "columns_forbidden")


def _valid(data: Any, *, versioned: bool) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise invalid(
            "栏目信息必须是一个对象", [field_error("body", "not_an_object", "栏目信息必须是一个对象")]
        )
    values, errors = check_column(data)
    if versioned:
        take_version(data, values, errors)
        status = data.get("status", "open")
        if isinstance(status, str) and status in STATUS_LABELS:
            values["status"] = status
        else:
            errors.append(
                field_error("status", "not_allowed", "“状态”只能是 open（开设）或 closed（已关停）")
            )
    if errors:
        raise invalid("栏目信息有误：" + "；".join(e["message"] for e in errors), errors)
    return values


def check_column(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A column's cleaned values from a request body or a form, and what is wrong with them."""
    values: dict[str, Any] = {}
    errors = [*_check_texts(data, values)]
    level = _whole(data.get("level"))
    if level is None or not 1 <= level <= MAX_LEVEL:
        errors.append(field_error("level", "not_allowed", f"“栏目层级”须为 1 到 {MAX_LEVEL} 的整数"))
    values["level"] = level or 1
    kind = data.get("kind")
    if kind not in KINDS:
        errors.append(field_error("kind", "not_allowed", "请选择“栏目类型”"))
    values["kind"] = kind if kind in KINDS else "other"
    errors += _check_department(data.get("department"), values)
    read_interval = _interval_reader(values["kind"], values["level"])
    errors += _optional("interval_days", data.get("interval_days"), values, read_interval)
    errors += _optional("last_update", data.get("last_update"), values, _read_last_update)
    return values, errors


def _check_texts(data: Mapping[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    errors = []
    for name, label, longest in TEXT_FIELDS:
        raw = data.get(name)
        text = raw.strip() if isinstance(raw, str) else raw
        values[name] = text if isinstance(text, str) else ""
        if text is None or text == "":
            if name != "content_plan":
                errors.append(field_error(name, "required", f"请填写“{label}”"))
        elif not isinstance(text, str):
            errors.append(field_error(name, "not_text", f"“{label}”必须是文字"))
        elif problem := text_problem(text):
            errors.append(field_error(name, "invalid_text", f"“{label}”{problem}"))
        elif len(text) > longest:
            errors.append(field_error(name, "too_long", f"“{label}”不能超过 {longest} 个字"))
    return errors


def _check_department(code: Any, values: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        department = department_by_code(code) if isinstance(code, str) and code else None
    except ServiceError:
        department = None
    if department is None:
        return [field_error("department", "not_allowed", "请选择一个“责任部门”")]
    values["department"] = department
    return []


def _optional(
    name: str, raw: Any, values: dict[str, Any], read: Callable[[Any], Any]
) -> list[dict[str, Any]]:
    """A field that may be left blank (None); `read` gives its value or raises _Refused."""
    try:
        values[name] = None if raw in (None, "") else read(raw)
    except _Refused as refused:
        return [field_error(name, refused.code, refused.message)]
    return []


class _Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _interval_reader(kind: str, level: int) -> Callable[[Any], int]:
    def read(raw: Any) -> int:
        days = _whole(raw)
        if days is None or days < 1:
            raise _Refused("not_allowed", "“更新时限（天）”须为正整数，或留空按栏目类型")
        default = engine().profile.columns.interval(kind, level).period
        longest = (shift(today(), default) - today()).days
        if days > longest:
            message = f"“更新时限（天）”只能比栏目类型的 {default.label} 更严（至多 {longest} 天）"
            raise _Refused("too_loose", message)
        return days

    return read


def _read_last_update(raw: Any) -> date:
    day = date_value(raw)
    if day is None or day > today():
        raise _Refused("not_allowed", "“最近更新日期”须为不晚于今天的日期（YYYY-MM-DD）")
    return day


def _whole(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None
