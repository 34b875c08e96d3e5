"""The annual disclosure report over the API (STAT-3, NAT-3, NAT-4): its figures for a year, and the
office entering the cells the service cannot count. Who may read and enter: services/disclosure_report."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user, login_required

from workflows import disclosure_report as rules

from ..services import disclosure_report, disclosure_report_entries
from . import bp, serialize
from .views import json_body


@bp.get("/reports/disclosure")
@login_required
def disclosure_report_read():
    disclosure_report.check_reader(current_user)  # a refusal before the parameters are read
    year = disclosure_report.year_of(request.args.get("year"))
    return jsonify(shaped(disclosure_report.report(current_user, year)))


@bp.put("/reports/disclosure/entries")
@login_required
def disclosure_report_enter():
    disclosure_report_entries.check_enterer(current_user)
    year = disclosure_report.year_of(request.args.get("year"))
    body = json_body()
    entries = disclosure_report_entries.enter(current_user, year, body.get("values"), body.get("versions"))
    return jsonify(entered(entries, rules.appeal_totals(entries.numbers)))


def shaped(report: disclosure_report.AnnualReport) -> dict[str, Any]:
    table = report.requests
    return {
        "year": report.year,
        "title": report.title,
        "generated_at": serialize.iso(report.generated_at),
        "published": {
            "items": [
                {"item_type": p.item_type, "label": p.label, "count": p.count} for p in report.published
            ],
            "total": report.published_total,
        },
        "requests": {
            "columns": [{"key": key, "label": label} for key, label in rules.COLUMNS],
            "rows": [
                {
                    "key": row.key,
                    "label": row.label,
                    "level": row.level,
                    "counts": dict(table.counts[row.key]) if row.counted else None,
                }
                for row in rules.request_rows()
            ],
            "identity_holds": not report.broken_columns,
            "broken_columns": report.broken_columns,
            "unclassified": table.unclassified,
        },
        "entered": entered(report.entries, report.appeal_totals),
    }


def entered(entries: disclosure_report_entries.Entries, totals: dict[str, int]) -> dict[str, Any]:
    return {
        "numbers": entries.numbers,
        "texts": entries.texts,
        "versions": entries.versions,
        "appeal_totals": totals,
        "last_entered_by": entries.last_by,
        "last_entered_at": serialize.iso(entries.last_at),
    }
