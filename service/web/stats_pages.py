"""统计 (STAT-1, issue 14): the figures of a period by department and by flow in two tables, a period
chooser and the 导出Excel link (GET /api/v1/statistics.xlsx with the same period).

The figures are services/statistics.report's, the API's too; anyone who may not read them gets the
refusal page (403), a period that names none the page saying why (400).
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from ..services import statistics
from . import bp


@bp.get("/stats")
@login_required
def stats():
    statistics.scope_of(current_user)
    # The custom range comes as two date fields; the others as one period text.
    start, end = request.args.get("from", ""), request.args.get("to", "")
    text = f"{start}..{end}" if start or end else request.args.get("period") or statistics.this_month()
    period = statistics.period_of(text)
    tables = [statistics.report(current_user, period, by) for by in statistics.GROUPINGS]
    return render_template(
        "stats.html",
        period=period,
        tables=tables,
        columns=statistics.COLUMNS,
        groupings=statistics.GROUPINGS,
        values=statistics.values,
        suggested=statistics.suggested_periods(),
    )
