"""The figures and texts the office enters for the annual disclosure report (STAT-3, NAT-3, NAT-4):
the cells the service cannot count from its cases. Entering is one transaction with one audit entry;
each cell carries a version, and a change to a cell someone else changed since the form was read is
refused (409), never lost.

Who may enter: administrators and members of the office department (GOVFLOW_OFFICE_DEPARTMENT).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from workflows import disclosure_report as rules

from ..errors import conflict, forbidden, invalid
from ..extensions import db
from ..models import LARGEST_INTEGER, DisclosureReportEntry, User
from . import audit
from .engine import now
from .unit import in_transaction
from .writes import insert_row, versioned_update


@dataclass(frozen=True)
class Entries:
    """What was entered for a year: figures and texts by key, each cell's version (0: never entered),
    and the last change (who, when)."""

    numbers: dict[str, int | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    last_by: str | None = None
    last_at: datetime | None = None


def may_enter(user: User) -> bool:
    """Administrators and members of the office department."""
    office = current_app.config.get("GOVFLOW_OFFICE_DEPARTMENT", "office")
    return user.is_admin or any(m.department.code == office for m in user.memberships)


def check_enterer(user: User) -> None:
    if not may_enter(user):
        raise forbidden("年报数据仅限办公室人员和管理员录入", "report_entry_forbidden")


def entries_of(year: int) -> Entries:
    rows = list(db.session.scalars(select(DisclosureReportEntry).where(DisclosureReportEntry.year == year)))
    numbers: dict[str, int | None] = {key: None for key in rules.number_keys()}
    texts = {key: "" for key in rules.text_keys()}
    versions = {key: 0 for key in (*numbers, *texts)}
    for row in rows:
        if row.key in numbers:
            numbers[row.key] = row.number
        elif row.key in texts:
            texts[row.key] = row.text or ""
        versions[row.key] = row.version
    last = max(rows, key=lambda r: r.entered_at, default=None)
    names = _names([last.entered_by_id] if last and last.entered_by_id else [])
    return Entries(
        numbers,
        texts,
        versions,
        names.get(last.entered_by_id or 0) if last else None,
        last.entered_at if last else None,
    )


def enter(user: User, year: int, values: Any, versions: Any) -> Entries:
    """Store the cells given (key → value; a blank clears a cell), each against the version the
    enterer read (versions: key → version, 0 for a cell never entered). 422 naming each bad cell,
    409 when a cell changed meanwhile; cells whose value is unchanged are left alone."""
    check_enterer(user)
    wanted = _checked(values, versions)
    in_transaction(lambda: _store(user, year, wanted))
    return entries_of(year)


def _checked(values: Any, versions: Any) -> dict[str, tuple[int | str | None, int]]:
    if not isinstance(values, dict) or not isinstance(versions, dict):
        raise invalid("请提交 values 和 versions 两个对象", [_error("values", "应为对象")])
    numbers, texts = rules.number_keys(), rules.text_keys()
    errors: list[dict[str, str]] = []
    wanted: dict[str, tuple[int | str | None, int]] = {}
    for key, raw in values.items():
        version = versions.get(key, 0)
        if not isinstance(version, int) or isinstance(version, bool) or not 0 <= version <= LARGEST_INTEGER:
            errors.append(_error(key, "版本号应为非负整数"))
        elif key in numbers:
            number = _number(raw)
            if number is False:
                errors.append(_error(key, f"“{numbers[key]}”应为不小于0的整数"))
            else:
                wanted[key] = (number, version)
        elif key in texts:
            text = raw.strip() if isinstance(raw, str) else None
            if text is None or len(text) > rules.MAX_TEXT:
                errors.append(_error(key, f"“{texts[key]}”应为不超过{rules.MAX_TEXT}字的文字"))
            else:
                wanted[key] = (text, version)
        else:
            errors.append(_error(key, "年报中没有这一项"))
    if errors:
        raise invalid("部分数据填写有误，请按提示修改", errors)
    return wanted


def _number(raw: Any) -> int | None | bool:
    """The figure as an int, None for blank, False when it is not a non-negative integer."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= LARGEST_INTEGER:
        return raw
    return False


def _error(key: str, message: str) -> dict[str, str]:
    return {"field": key, "code": "invalid", "message": message}


def _store(user: User, year: int, wanted: dict[str, tuple[int | str | None, int]]) -> None:
    rows = {
        row.key: row
        for row in db.session.scalars(
            select(DisclosureReportEntry).where(DisclosureReportEntry.year == year).with_for_update()
        )
    }
    before, after = {}, {}
    try:
        for key, (value, version) in wanted.items():
            row = rows.get(key)
            old = (row.number if key in rules.number_keys() else row.text) if row else None
            if _same(old, value):
                continue  # unchanged: nothing to guard, even if someone else wrote the same meanwhile
            if (row.version if row else 0) != version:
                raise conflict(f"“{_name(key)}”已被他人修改，请刷新后重新录入", "concurrent_modification")
            column = "number" if key in rules.number_keys() else "text"
            stamp = {column: value, "entered_by_id": user.id, "entered_at": now()}
            if row is None:
                insert_row(DisclosureReportEntry, year=year, key=key, version=1, **stamp)
            else:
                versioned_update(row, **stamp)
            before[key], after[key] = old, value
    except (StaleDataError, IntegrityError) as err:
        raise conflict("年报数据刚被他人修改，请刷新后重新录入", "concurrent_modification") from err
    if after:
        names = "、".join(_name(key) for key in after)
        audit.record(
            user,
            audit.AuditKind.DISCLOSURE_REPORT_ENTERED,
            "disclosure_report",
            year,
            f"录入{year}年政府信息公开年报：{names}",
            before=before,
            after=after,
        )


def _same(old: int | str | None, new: int | str | None) -> bool:
    """Blank text and no entry are the same; 0 is a figure, not a blank."""
    return (None if old == "" else old) == (None if new == "" else new)


def _name(key: str) -> str:
    return {**rules.number_keys(), **rules.text_keys()}.get(key, key)


def _names(user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {u.id: u.name or u.username for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
