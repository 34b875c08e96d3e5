"""The working-day calendar as the service uses it: the package data plus what administrators enter.

Building the calendar reads two small tables. It is kept per process for CALENDAR_TTL seconds
(not re-read on every request); a change made through this process takes effect at once, and
recomputes every running deadline, while another process sees it within the TTL.

Changes take turns: each takes the calendar's write lock before it reads anything, so it sees
what the one before it committed, and two administrators entering one day at once both succeed,
the later one winning. What still collides (a case step changing a deadline being recomputed, a
lock wait running out) is a 409, never a half-written change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import false, select, text, update
from sqlalchemy.exc import DBAPIError, OperationalError

from workflows.calendar import CALENDAR_YEARS, SHIPPED_YEARS, WorkCalendar, estimated_days, shipped_days
from workflows.text import text_problem

from ..errors import ServiceError, conflict, invalid
from ..extensions import db
from ..models import CalendarDay, CalendarYear, User
from . import audit
from .audit import AuditKind
from .engine import now
from .unit import in_transaction

CALENDAR_TTL = 30.0
CHANGE_ATTEMPTS = 3  # a case step may change a deadline being recomputed: run the change again
NOTE_LENGTH = 200
BUSY = "工作日历或案件期限刚被其他人修改，请稍后重试"
# Lock waits that ran out or were broken: PostgreSQL's SQLSTATEs and SQLite's busy error.
CONTENTION = frozenset({"40001", "40P01", "55P03", "SQLITE_BUSY", "SQLITE_LOCKED"})

T = TypeVar("T")


@dataclass
class _Cached:
    calendar: WorkCalendar
    loaded_at: float


_lock = threading.Lock()


def current_calendar() -> WorkCalendar:
    """The calendar in force: shipped data, administrator corrections and confirmed years."""
    cache = _cache()
    with _lock:
        cached, generation = cache.get("calendar"), cache.get("generation", 0)
        if cached is not None and time.monotonic() - cached.loaded_at < CALENDAR_TTL:
            return cached.calendar
    calendar = _load()
    with _lock:
        # A change forgotten while this one was read makes it stale: use it, but do not keep it.
        if cache.get("generation", 0) == generation:
            cache["calendar"] = _Cached(calendar, time.monotonic())
    return calendar


def forget_calendar() -> None:
    """Drop this process's cached calendar (after a change)."""
    cache = _cache()
    with _lock:
        cache.pop("calendar", None)
        cache["generation"] = cache.get("generation", 0) + 1


def _cache() -> dict[str, Any]:
    return current_app.extensions.setdefault("govflow_calendar", {})


def _load() -> WorkCalendar:
    days = {row.day: row.is_workday for row in db.session.scalars(select(CalendarDay))}
    years = set(db.session.scalars(select(CalendarYear.year)))
    return WorkCalendar(days, years, close_hour=current_app.config["GOVFLOW_DAY_CLOSES_AT"])


def entered_days(year: int) -> list[CalendarDay]:
    """The days an administrator entered for a year, in date order."""
    query = select(CalendarDay).where(
        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
    )
    return list(db.session.scalars(query.order_by(CalendarDay.day)))


def year_view(year: int) -> dict[str, Any]:
    """What counts for a year: their source, the days entered and, until official, the estimate."""
    confirmed = db.session.get(CalendarYear, year)
    official = year in SHIPPED_YEARS or confirmed is not None
    entered = entered_days(year)
    taken = {row.day for row in entered}
    estimate = [] if official else [e for e in estimated_days(year) if e.day not in taken]
    return {
        "year": year,
        "official": official,
        "source": "package" if year in SHIPPED_YEARS else ("administrator" if confirmed else None),
        "confirmed_at": confirmed.confirmed_at.isoformat() if confirmed else None,
        "entered_days": [_day_view(row.day, row.is_workday, row.note) for row in entered],
        "provisional_days": [_day_view(e.day, e.workday, e.name) for e in estimate],
    }


@dataclass(frozen=True)
class ListedDay:
    """A day of a year that differs from the default week, as the calendar page lists it."""

    day: date
    workday: bool
    name: str
    source: str  # "entered" (by an administrator), "package" (shipped) or "estimate" (provisional)


def listed_days(year: int) -> list[ListedDay]:
    """A year's holidays and make-up workdays in date order, each with where it comes from: an
    entered day replaces the package's or the estimate's day of that date."""
    if year not in CALENDAR_YEARS:
        first, last = CALENDAR_YEARS[0], CALENDAR_YEARS[-1]
        raise ServiceError("invalid_parameter", f"年份应在 {first} 到 {last} 之间", 400, field="year")
    view = year_view(year)  # the estimate only while the year is not official
    listed = {d.day: ListedDay(d.day, d.workday, d.name, "package") for d in shipped_days(year)}
    for estimate in view["provisional_days"]:
        day = date.fromisoformat(estimate["day"])
        listed[day] = ListedDay(day, estimate["workday"], estimate["note"], "estimate")
    for row in entered_days(year):
        listed[row.day] = ListedDay(row.day, row.is_workday, row.note, "entered")
    return [listed[day] for day in sorted(listed)]


def _day_view(day: date, workday: bool, note: str) -> dict[str, Any]:
    return {"day": day.isoformat(), "workday": workday, "note": note}


def set_day(user: User, day: date, workday: bool, note: Any) -> CalendarDay:
    """Enter or correct one day (a holiday or a make-up workday) and recompute deadlines."""

    def work() -> CalendarDay:
        checked = _checked_note(note)
        row = db.session.get(CalendarDay, day)
        before = None if row is None else _day_state(row.is_workday, row.note)
        row = row or CalendarDay(day=day)
        row.is_workday, row.note = workday, checked
        what = "调休上班日" if workday else "放假日"
        summary = f"录入 {day.isoformat()} 为{what}" + (f"（{checked}）" if checked else "")
        after = _day_state(workday, checked)
        audit.record(
            user, AuditKind.CALENDAR_DAY_SET, "calendar_day", day, summary, before=before, after=after
        )
        row.entered_by_id, row.entered_at = user.id, now()
        db.session.add(row)
        return row

    return _change(user, work)


def remove_day(user: User, day: date) -> None:
    """Take back an entered day: it follows the package (or the estimate) again.

    The last entered day of a confirmed year stays until the confirmation is withdrawn: a
    confirmed year with nothing entered would count every weekday as worked, officially.
    """

    def work() -> None:
        row = db.session.get(CalendarDay, day)
        if row is None:
            raise ServiceError("calendar_day_not_found", f"{day.isoformat()} 没有录入过", 404, field="day")
        if db.session.get(CalendarYear, day.year) is not None and len(entered_days(day.year)) == 1:
            message = f"{day.year} 年已确认，{day.isoformat()} 是该年唯一录入的日期；请先撤回确认再删除"
            raise ServiceError("calendar_year_confirmed", message, 409, field="day")
        db.session.delete(row)
        before = _day_state(row.is_workday, row.note)
        summary = f"删除录入的 {day.isoformat()}，恢复按内置数据或估计"
        audit.record(user, AuditKind.CALENDAR_DAY_REMOVED, "calendar_day", day, summary, before=before)

    _change(user, work)


def _day_state(workday: bool, note: str) -> dict[str, Any]:
    return {"workday": workday, "note": note}


def confirm_year(user: User, year: int) -> dict[str, Any]:
    """Declare a year's official days complete: its deadlines stop being provisional (NAT-8)."""

    def work() -> dict[str, Any]:
        _refuse_shipped(year)
        if db.session.get(CalendarYear, year) is None:
            if not entered_days(year):
                message = f"{year} 年尚未录入任何放假日或调休上班日，不能确认；请先按国务院通知录入"
                raise ServiceError("calendar_year_empty", message, 422, field="year")
            db.session.add(CalendarYear(year=year, confirmed_by_id=user.id, confirmed_at=now()))
            summary = f"确认 {year} 年工作日历，该年期限不再是暂定"
            after = {"confirmed": True, "entered_days": len(entered_days(year))}
            audit.record(
                user,
                AuditKind.CALENDAR_YEAR_CONFIRMED,
                "calendar_year",
                year,
                summary,
                before={"confirmed": False},
                after=after,
            )
        return year_view(year)

    return _change(user, work)


def withdraw_year(user: User, year: int) -> dict[str, Any]:
    """Withdraw a year's confirmation: its deadlines are provisional again, on the estimate plus entries."""

    def work() -> dict[str, Any]:
        _refuse_shipped(year)
        confirmed = db.session.get(CalendarYear, year)
        if confirmed is None:
            raise ServiceError("year_not_confirmed", f"{year} 年尚未确认，无需撤回", 409, field="year")
        db.session.delete(confirmed)
        summary = f"撤回 {year} 年工作日历的确认，该年期限重新为暂定"
        audit.record(
            user,
            AuditKind.CALENDAR_YEAR_WITHDRAWN,
            "calendar_year",
            year,
            summary,
            before={"confirmed": True},
            after={"confirmed": False},
        )
        db.session.flush()  # gone from the session too, so the view reads it unconfirmed
        return year_view(year)

    return _change(user, work)


def _refuse_shipped(year: int) -> None:
    if year in SHIPPED_YEARS:
        raise ServiceError("year_already_official", f"{year} 年的节假日数据已由系统内置", 409, field="year")


def _checked_note(note: Any) -> str:
    if not isinstance(note, str):
        code, problem = "not_text", "备注必须是文字"
    elif found := text_problem(note):
        code, problem = "invalid_text", f"备注{found}"
    elif len(note.strip()) > NOTE_LENGTH:  # refused, not cut: what was typed is kept or not at all
        code, problem = "too_long", f"备注不能超过 {NOTE_LENGTH} 个字"
    else:
        return note.strip()
    raise invalid(problem, [{"field": "note", "code": code, "message": problem}])


def _change(user: User, work: Callable[[], T]) -> T:
    """Run one calendar change behind the calendar lock, recompute running deadlines, commit."""
    _admin_only(user)
    try:
        for attempt in range(1, CHANGE_ATTEMPTS + 1):
            try:
                return in_transaction(lambda: _locked(work))
            except ServiceError as err:
                if err.code != "concurrent_modification":
                    raise
                if attempt == CHANGE_ATTEMPTS:  # in_transaction's wording speaks of cases
                    raise conflict(BUSY, err.code) from err
    except OperationalError as err:
        if not _contention(err):
            raise
        raise conflict(BUSY, "concurrent_modification") from err
    finally:
        forget_calendar()  # after the commit or the rollback: the next reader loads what is stored
    raise AssertionError("unreachable")


def _locked(work: Callable[[], T]) -> T:
    from .clocks import recompute_running

    _take_calendar_lock()
    result = work()
    db.session.flush()
    recompute_running(_load())  # not cached: uncommitted until this transaction ends
    return result


def _take_calendar_lock() -> None:
    """Make calendar changes take turns, each reading only after the one before it committed.

    PostgreSQL: a table lock that conflicts with itself and with writes, not with reads. SQLite
    has one writer: a write that changes nothing takes its lock (its driver begins the transaction
    there, so no earlier read has pinned an older snapshot).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"LOCK TABLE {CalendarDay.__tablename__} IN SHARE ROW EXCLUSIVE MODE"))
    else:
        nothing = update(CalendarYear).where(false()).values(year=CalendarYear.year)
        db.session.execute(nothing.execution_options(synchronize_session=False))


def _contention(err: DBAPIError) -> bool:
    orig = err.orig
    return (getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)) in CONTENTION


def _admin_only(user: User) -> None:
    if not user.is_admin:
        raise ServiceError("admin_only", "只有管理员可以维护工作日历", 403)
