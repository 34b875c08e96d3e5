"""Statistics over the API (STAT-1, issue 14): the figures of a period by department or by flow, and
the same figures as an Excel workbook. Who may read them: services/statistics.scope_of."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, jsonify, request
from flask_login import current_user, login_required

from workflows.statistics import week_text

from ..services import statistics
from ..services.attachment_rules import content_disposition
from ..services.statistics_export import MEDIA_TYPE, workbook_bytes
from . import bp, serialize


@bp.get("/statistics")
@login_required
def statistics_table():
    period = statistics.period_of(request.args.get("period"))
    by = statistics.grouping_of(request.args.get("by"))
    body = shaped(statistics.report(current_user, period, by))
    body["weekly_published"] = weekly_shaped(statistics.weekly_published(current_user, period))
    return jsonify(body)


@bp.get("/statistics.xlsx")
@login_required
def statistics_workbook():
    statistics.scope_of(current_user)  # a refusal before the parameters are read
    data, name = workbook_bytes(current_user, request.args.get("period"), request.args.get("by"))
    headers = {"Content-Disposition": content_disposition(name), "Cache-Control": "no-store"}
    return Response(data, mimetype=MEDIA_TYPE, headers=headers)


def shaped(report: statistics.Report) -> dict[str, Any]:
    period = report.period
    return {
        "period": {
            "text": period.text,
            "label": period.label,
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
        },
        "by": report.by,
        "generated_at": serialize.iso(report.generated_at),
        "rows": [{"key": row.key, "name": row.name, **statistics.values(row.figures)} for row in report.rows],
        "total": statistics.values(report.total),
    }


def weekly_shaped(weekly: statistics.Weekly) -> dict[str, Any]:
    """Items published per department per ISO week (STAT-2); weeks_without names the weeks with none."""
    names = [week_text(monday) for monday in weekly.weeks]
    return {
        "weeks": [
            {"week": name, "from": monday.isoformat(), "to": (monday + timedelta(days=6)).isoformat()}
            for name, monday in zip(names, weekly.weeks, strict=True)
        ],
        "rows": [
            {
                "key": row.key,
                "name": row.name,
                "counts": list(row.counts),
                "weeks_without": [names[i] for i in row.missed()],
            }
            for row in weekly.rows
        ],
    }
