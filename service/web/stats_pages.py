"""统计 (STAT-1, issue 14): the figures of a period by department and by flow in two tables, a period
chooser and the 导出Excel link (GET /api/v1/statistics.xlsx with the same period). Above each table a
bar chart of its received / finished / on-time / late figures (tools/charts, ECharts), handed its
figures as JSON in a data- attribute since the page runs no inline script; the table stays the
accessible form, the chart an image with a short summary. Below them 每周发布 (STAT-2): items published
per department in each ISO week of the period, a week with none marked 无发布 in words.

The figures are services/statistics.report's, the API's too; anyone who may not read them gets the
refusal page (403), a period that names none the page saying why (400).
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user, login_required

from workflows.statistics import week_label

from ..services import disclosure_report, statistics
from . import bp

# The figures the charts draw, a subset of statistics.COLUMNS.
CHARTED = ("received", "finished", "on_time", "late")


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
        charts={table.by: chart_of(table) for table in tables if table.rows},
        suggested=statistics.suggested_periods(),
        weekly=statistics.weekly_published(current_user, period),
        week_label=week_label,
        sees_annual_report=disclosure_report.may_read(current_user),
    )


def chart_of(table: statistics.Report) -> dict[str, Any]:
    """What a table's bar chart draws: the row names, one series per charted figure with its
    Chinese heading, and a one-sentence summary for the chart's aria-label."""
    headings = dict(statistics.COLUMNS)
    total = statistics.values(table.total)
    kind = "处室" if table.by == "department" else "流程"
    summary = (
        f"{statistics.GROUPINGS[table.by]}柱状图，{len(table.rows)}个{kind}："
        f"合计受理{total['received']}件、办结{total['finished']}件，"
        f"其中按期{total['on_time']}件、超期{total['late']}件；各{kind}的数字见下表。"
    )
    return {
        "names": [row.name for row in table.rows],
        "series": [
            {"key": name, "label": headings[name], "values": [getattr(r.figures, name) for r in table.rows]}
            for name in CHARTED
        ],
        "summary": summary,
    }
