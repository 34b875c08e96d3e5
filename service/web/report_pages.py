"""政府信息公开工作年度报告 (STAT-3, NAT-3, NAT-4): the year's report in the national template's
structure, printable (a print stylesheet hides the navigation and draws the tables' borders), its
Excel workbook, and the form where the office enters the cells the service cannot count.

Who: services/disclosure_report (readers) and disclosure_report_entries (enterers); others get the
refusal page (403), a year that names none the page saying why (400).
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows import disclosure_report as rules

from ..errors import ServiceError
from ..services import disclosure_report, disclosure_report_entries
from ..services.attachment_rules import content_disposition
from ..services.disclosure_report_export import MEDIA_TYPE, workbook_bytes
from . import bp
from .admin_pages import form_errors


@bp.get("/stats/disclosure-report")
@login_required
def disclosure_report_page():
    disclosure_report.check_reader(current_user)
    year = _year()
    return render_template(
        "disclosure_report.html",
        report=disclosure_report.report(current_user, year),
        rules=rules,
        may_enter=disclosure_report_entries.may_enter(current_user),
        column_labels=dict(rules.COLUMNS),
    )


@bp.get("/stats/disclosure-report.xlsx")
@login_required
def disclosure_report_workbook():
    disclosure_report.check_reader(current_user)
    data, name = workbook_bytes(current_user, _year())
    headers = {"Content-Disposition": content_disposition(name), "Cache-Control": "no-store"}
    return Response(data, mimetype=MEDIA_TYPE, headers=headers)


@bp.get("/stats/disclosure-report/entries")
@login_required
def disclosure_report_entries_page():
    disclosure_report_entries.check_enterer(current_user)
    year = _year()
    entries = disclosure_report_entries.entries_of(year)
    values = {**{k: "" if v is None else str(v) for k, v in entries.numbers.items()}, **entries.texts}
    return _entry_form(year, values, entries.versions, {})


@bp.post("/stats/disclosure-report/entries")
@login_required
def disclosure_report_enter():
    disclosure_report_entries.check_enterer(current_user)
    year = _year(request.form.get("year"))
    keys = [key for key in (*rules.number_keys(), *rules.text_keys()) if key in request.form]
    values = {key: request.form[key] for key in keys}
    versions = {key: _version(request.form.get(f"version_{key}", "0")) for key in keys}
    try:
        disclosure_report_entries.enter(current_user, year, values, versions)
    except ServiceError as err:
        if err.status == 409:
            current = disclosure_report_entries.entries_of(year).versions
            return _entry_form(year, values, current, {"": [err.message]}, stale=True), 409
        if err.status != 422:
            raise
        return _entry_form(year, values, versions, form_errors(err)), 422
    flash(f"已保存 {year} 年年报录入数据", "success")
    return redirect(url_for("web.disclosure_report_page", year=year))


def _entry_form(year: int, values: dict, versions: dict, errors: dict, stale: bool = False) -> str:
    return render_template(
        "disclosure_report_entries.html",
        year=year,
        values=values,
        versions=versions,
        errors=errors,
        rules=rules,
        numbers=rules.number_keys(),
        stale=stale,
    )


def _year(raw: str | None = None) -> int:
    """The year asked for (?year= or the form's); the year whose report is due when none is given."""
    text = raw if raw is not None else request.args.get("year")
    return disclosure_report.year_of(text) if text else disclosure_report.year_due()


def _version(raw: str) -> int:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else -1
