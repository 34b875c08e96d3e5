"""Deadline-related routes: notifications, the working-day calendar, the active profile."""

from __future__ import annotations

from datetime import date

from flask import jsonify
from flask_login import current_user, login_required

from workflows.calendar import CALENDAR_YEARS
from workflows.periods import Period
from workflows.profiles import DeadlineRule
from workflows.profiles.duties import Duty
from workflows.profiles.publishing import ITEM_TYPE_LABELS, TIERS, PublishingRules

from ..errors import ServiceError
from ..models import CalendarDay
from ..services import calendar, notifications, queries
from ..services.engine import engine
from . import bp, serialize
from .views import json_body, page_of, unread_paging


@bp.get("/notifications")
@login_required
def list_notifications():
    page = queries.notifications_for(current_user, *unread_paging())
    return jsonify(page_of(page, serialize.notification))


@bp.post("/notifications/read-all")
@login_required
def read_all_notifications():
    return jsonify({"marked": notifications.mark_all_read(current_user)})


@bp.post("/notifications/<id:notification_id>/read")
@login_required
def read_notification(notification_id: int):
    return jsonify(serialize.notification(notifications.mark_read(current_user, notification_id)))


@bp.get("/calendar/<int:year>")
@login_required
def calendar_year(year: int):
    _check_year(year)
    return jsonify(calendar.year_view(year))


@bp.put("/calendar/days/<day>")
@login_required
def put_calendar_day(day: str):
    body = json_body()
    workday = body.get("workday")
    if not isinstance(workday, bool):
        raise ServiceError(
            "invalid_body", "workday 必须为 true（工作日）或 false（休息日）", 422, field="workday"
        )
    return jsonify(_entered(calendar.set_day(current_user, _day(day), workday, body.get("note", ""))))


@bp.delete("/calendar/days/<day>")
@login_required
def delete_calendar_day(day: str):
    calendar.remove_day(current_user, _day(day))
    return "", 204


@bp.post("/calendar/<int:year>/confirm")
@login_required
def confirm_calendar_year(year: int):
    _check_year(year)
    return jsonify(calendar.confirm_year(current_user, year))


@bp.delete("/calendar/<int:year>/confirm")
@login_required
def withdraw_calendar_year(year: int):
    _check_year(year)
    return jsonify(calendar.withdraw_year(current_user, year))


@bp.get("/profile")
@login_required
def active_profile():
    profile = engine().profile
    return jsonify(
        {
            "name": profile.name,
            "title": profile.title,
            "remind_before": profile.remind_before.label,
            "escalate_after": [p.label for p in profile.escalate_after],
            "deadlines": [_rule(name, rule) for name, rule in sorted(profile.deadlines.items())],
            "publishing": _publishing(profile.publishing),
            "agency_kind": profile.agency_kind.value,
            "duties": [_duty(duty) for duty in profile.duties],
        }
    )


def _duty(duty: Duty) -> dict:
    """A recurring duty the service opens as a case on its schedule (REC-1..6, NAT-4)."""
    return {
        "key": duty.key,
        "title": duty.title,
        "schedule": duty.schedule.words,
        "department": duty.department,
        "record": duty.record.value,
        "rule": duty.rule,
        "source": duty.source,
    }


def _publishing(rules: PublishingRules) -> dict:
    """Who reviews (the last one signs) and proofreads an item, by item type and tier (PUB-4)."""
    return {
        "source": rules.source,
        "item_types": [{"value": t, "label": ITEM_TYPE_LABELS[t]} for t in rules.item_types],
        "chains": [
            {"item_type": item_type, "tier": tier, **rules.chain_for(item_type, tier).to_data()}
            for item_type in rules.item_types
            if item_type not in rules.on_site_review  # PUB-15: reviewed on site, no chain
            for tier in TIERS
        ],
        "on_site_review": list(rules.on_site_review),
        "fast_path": rules.fast_path,
        "legal_review_outside": rules.legal_review_outside,
        "annual_report_due": rules.annual_report_due,
    }


def _rule(name: str, rule: DeadlineRule) -> dict:
    return {
        "name": name,
        "label": rule.label,
        "period": _period(rule.period),
        "target": _period(rule.target) if rule.target is not None else None,
        "rolls": rule.rolls,
        "from_receipt": rule.from_receipt,
        "rule": rule.rule,
        "source": rule.source,
    }


def _period(period: Period) -> dict:
    return {"amount": period.amount, "unit": period.unit.value, "text": period.label}


def _entered(row: CalendarDay) -> dict:
    return {"day": row.day.isoformat(), "workday": row.is_workday, "note": row.note}


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ServiceError("invalid_parameter", "日期格式应为 YYYY-MM-DD", 400, field="day") from None
    _check_year(day.year)
    return day


def _check_year(year: int) -> None:
    if year not in CALENDAR_YEARS:
        first, last = CALENDAR_YEARS[0], CALENDAR_YEARS[-1]
        raise ServiceError("invalid_parameter", f"年份应在 {first} 到 {last} 之间", 400, field="year")
