"""管理 → 工作日历 and 期限规则 (issue 12): the working-day calendar administrators keep (ESC-2, NAT-8)
and the active profile's deadlines, read-only. Pages over the use cases the calendar API shares."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.calendar import CALENDAR_YEARS, SERVICE_TZ, SHIPPED_YEARS

from ..errors import ServiceError
from ..services import calendar
from ..services.engine import engine, now
from . import bp
from .admin_pages import admins_only, form_errors

KINDS = {"holiday": "休息日", "workday": "调休上班日"}
SOURCES = {"entered": "管理员录入", "package": "系统内置", "estimate": "暂按法定节假日推算"}
WEEKDAYS = "一二三四五六日"


@bp.get("/admin/calendar")
@login_required
def admin_calendar():
    admins_only()
    year = _year_arg()
    values = _prefilled(year, request.args.get("edit", ""))
    return _calendar_page(year, values, {})


@bp.post("/admin/calendar/days")
@login_required
def admin_calendar_day():
    admins_only()
    form = request.form
    values = {"day": form.get("day", "").strip(), "kind": form.get("kind", ""), "note": form.get("note", "")}
    year = _year_arg(form.get("year"))
    errors: dict[str, list[str]] = {}
    day = _parsed_day(values["day"], errors)
    if values["kind"] not in KINDS:
        errors["kind"] = ["请选择休息日或调休上班日"]
    if day is None or errors:
        return _calendar_page(year, values, errors), 422
    try:
        calendar.set_day(current_user, day, values["kind"] == "workday", values["note"])
    except ServiceError as err:
        return _calendar_page(year, values, form_errors(err)), err.status
    flash(f"已录入 {day.isoformat()}：{KINDS[values['kind']]} {values['note'].strip()}".rstrip(), "success")
    return redirect(url_for("web.admin_calendar", year=day.year))


@bp.post("/admin/calendar/days/<day>/delete")
@login_required
def admin_calendar_day_delete(day: str):
    admins_only()
    errors: dict[str, list[str]] = {}
    parsed = _parsed_day(day, errors)
    if parsed is None:
        flash("；".join(errors["day"]), "error")
        return redirect(url_for("web.admin_calendar"))
    try:
        calendar.remove_day(current_user, parsed)
    except ServiceError as err:
        flash(err.message, "error")
    else:
        flash(f"已删除 {parsed.isoformat()} 的录入，该日恢复按内置数据或推算计算", "success")
    return redirect(url_for("web.admin_calendar", year=parsed.year))


@bp.post("/admin/calendar/<int:year>/confirm")
@login_required
def admin_calendar_confirm(year: int):
    admins_only()
    withdraw = request.form.get("action") == "withdraw"
    change = calendar.withdraw_year if withdraw else calendar.confirm_year
    try:
        change(current_user, year)
    except ServiceError as err:
        flash(err.message, "error")
    else:
        done = "已撤回确认，该年期限恢复为暂定" if withdraw else "已确认，该年期限不再是暂定"
        flash(f"{year} 年{done}，运行中的期限已重新计算", "success")
    return redirect(url_for("web.admin_calendar", year=year))


@bp.get("/admin/profile")
@login_required
def admin_profile():
    admins_only()
    profile = engine().profile
    return render_template("admin/profile.html", profile=profile, deadlines=sorted(profile.deadlines.items()))


def _calendar_page(year: int, values: dict[str, str], errors: dict[str, list[str]]) -> str:
    days = calendar.listed_days(year)  # first: a year out of range is refused by name
    view = calendar.year_view(year)
    confirmed = view["confirmed_at"]
    return render_template(
        "admin/calendar.html",
        year=year,
        view=view,
        confirmed_at=datetime.fromisoformat(confirmed) if confirmed else None,
        days=days,
        shipped=year in SHIPPED_YEARS,
        values=values,
        errors=errors,
        kinds=KINDS,
        sources=SOURCES,
        weekday=lambda day: "周" + WEEKDAYS[day.weekday()],
    )


def _year_arg(raw: str | None = None) -> int:
    """The year asked for (?year= or the form's); this year when none or no number is given."""
    text = raw if raw is not None else request.args.get("year", "")
    if text.isascii() and text.isdigit() and len(text) == 4:
        return int(text)  # a year outside the calendar's range is refused by the use case, by name
    return now().astimezone(SERVICE_TZ).year


def _prefilled(year: int, edit: str) -> dict[str, Any]:
    """The form filled from a listed day (更正), or empty with the year's first day as a hint."""
    for listed in calendar.listed_days(year) if edit else []:
        if listed.day.isoformat() == edit:
            return {"day": edit, "kind": "workday" if listed.workday else "holiday", "note": listed.name}
    return {"day": "", "kind": "", "note": ""}


def _parsed_day(text: str, errors: dict[str, list[str]]) -> date | None:
    """The date typed (YYYY-MM-DD, within the calendar's years), or None with the reason in `errors`."""
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        errors["day"] = ["请填写日期，格式为 YYYY-MM-DD，如 2027-01-01"]
    elif day.year not in CALENDAR_YEARS:
        errors["day"] = [f"年份应在 {CALENDAR_YEARS[0]} 到 {CALENDAR_YEARS[-1]} 之间"]
        day = None
    return day
