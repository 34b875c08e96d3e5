"""The working-day calendar as the service uses it: the package data plus what administrators enter.

Building the calendar reads two small tables. It is kept per process for CALENDAR_TTL seconds
(not re-read on every request); a change made through this process takes effect at once, and
recomputes every running deadline, while another process sees it within the TTL.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import delete, select

from workflows.calendar import SHIPPED_YEARS, WorkCalendar

from ..errors import ServiceError
from ..extensions import db
from ..models import CalendarDay, CalendarYear, User
from .engine import now

CALENDAR_TTL = 30.0


@dataclass
class _Cached:
    calendar: WorkCalendar
    loaded_at: float


_lock = threading.Lock()


def current_calendar() -> WorkCalendar:
    """The calendar in force: shipped data, administrator corrections and confirmed years."""
    cache: dict[str, _Cached] = current_app.extensions.setdefault("govflow_calendar", {})
    with _lock:
        cached = cache.get("calendar")
        if cached is not None and time.monotonic() - cached.loaded_at < CALENDAR_TTL:
            return cached.calendar
    calendar = _load()
    with _lock:
        cache["calendar"] = _Cached(calendar, time.monotonic())
    return calendar


def forget_calendar() -> None:
    """Drop this process's cached calendar (after a change)."""
    with _lock:
        current_app.extensions.setdefault("govflow_calendar", {}).pop("calendar", None)


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


def year_status(year: int) -> dict:
    """Whether a year's working days are official, and where that comes from."""
    confirmed = db.session.get(CalendarYear, year)
    return {
        "year": year,
        "official": year in SHIPPED_YEARS or confirmed is not None,
        "source": "package" if year in SHIPPED_YEARS else ("administrator" if confirmed else None),
        "confirmed_at": confirmed.confirmed_at.isoformat() if confirmed else None,
    }


def set_day(user: User, day: date, workday: bool, note: str) -> CalendarDay:
    """Enter or correct one day (a holiday or a make-up workday) and recompute deadlines."""
    _admin_only(user)
    row = db.session.get(CalendarDay, day) or CalendarDay(day=day)
    row.is_workday, row.note = workday, note.strip()[:200]
    row.entered_by_id, row.entered_at = user.id, now()
    db.session.add(row)
    return _commit_and_recompute(row)


def remove_day(user: User, day: date) -> None:
    """Take back an entered day: it follows the package (or Monday-Friday) again."""
    _admin_only(user)
    if db.session.get(CalendarDay, day) is None:
        raise ServiceError("calendar_day_not_found", f"{day.isoformat()} 没有录入过", 404, field="day")
    db.session.execute(delete(CalendarDay).where(CalendarDay.day == day))
    _commit_and_recompute(None)


def confirm_year(user: User, year: int) -> dict:
    """Declare a year's official days complete: its deadlines stop being provisional (NAT-8)."""
    _admin_only(user)
    if year in SHIPPED_YEARS:
        raise ServiceError("year_already_official", f"{year} 年的节假日数据已由系统内置", 409, field="year")
    if db.session.get(CalendarYear, year) is None:
        db.session.add(CalendarYear(year=year, confirmed_by_id=user.id, confirmed_at=now()))
    _commit_and_recompute(None)
    return year_status(year)


def _commit_and_recompute(result):
    from .clocks import recompute_running

    try:
        db.session.flush()
        forget_calendar()
        recompute_running(current_calendar())
        db.session.commit()
    except BaseException:
        db.session.rollback()
        forget_calendar()  # the cache may hold the change that was just rolled back
        raise
    return result


def _admin_only(user: User) -> None:
    if not user.is_admin:
        raise ServiceError("admin_only", "只有管理员可以维护工作日历", 403)
