"""The statistics as an Excel workbook (openpyxl): one sheet per table, the period and the time of
export at the top of each, Chinese headings, the same figures as the page and the API."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from workflows.calendar import SERVICE_TZ
from workflows.statistics import ReportPeriod, week_label

from ..models import User
from . import statistics
from .engine import now
from .statistics import COLUMNS, GROUPINGS, Report, Weekly

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_HEADING = {"department": "处室", "flow": "流程"}
WEEKLY = "每周发布"
HEADING_ROW = 4  # after the title, the period and the time of export


def workbook_bytes(user: User, period_text: str | None, by: str | None) -> tuple[bytes, str]:
    """The workbook of a period (both tables and 每周发布, or only the table `by` names) and its file name."""
    period = statistics.period_of(period_text)
    groupings = [statistics.grouping_of(by)] if by else list(GROUPINGS)
    book = Workbook()
    book.remove(book.active)
    for grouping in groupings:
        _sheet(book, statistics.report(user, period, grouping))
    if not by:
        _weekly_sheet(book, statistics.weekly_published(user, period), period, now())
    out = BytesIO()
    book.save(out)
    return out.getvalue(), f"统计报表-{period.text}.xlsx"


def _sheet(book: Workbook, report: Report) -> None:
    sheet = book.create_sheet(GROUPINGS[report.by])
    bold = Font(bold=True)
    sheet.append([f"办理情况统计（{GROUPINGS[report.by]}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["统计时段", report.period.label, f"{report.period.first} 至 {report.period.last}"])
    exported = report.generated_at.astimezone(SERVICE_TZ).strftime("%Y-%m-%d %H:%M")
    sheet.append(["导出时间", f"{exported}（北京时间）"])
    sheet.append([FIRST_HEADING[report.by], *(heading for _, heading in COLUMNS)])
    for cell in sheet[HEADING_ROW]:
        cell.font = bold
    for row in report.rows:
        sheet.append([row.name, *_cells(statistics.values(row.figures))])
    sheet.append(["合计", *_cells(statistics.values(report.total))])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.column_dimensions["A"].width = 16
    for index in range(2, len(COLUMNS) + 2):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = sheet.cell(row=HEADING_ROW + 1, column=2)


def _weekly_sheet(book: Workbook, weekly: Weekly, period: ReportPeriod, at: datetime) -> None:
    """每周发布 (STAT-2): a department per row, a week per column, a week with none written 0 无发布."""
    sheet = book.create_sheet(WEEKLY)
    sheet.append(["每周发布情况（已办结的信息发布，按发布日期）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["统计时段", period.label, f"{period.first} 至 {period.last}"])
    sheet.append(["导出时间", f"{at.astimezone(SERVICE_TZ):%Y-%m-%d %H:%M}（北京时间）"])
    sheet.append(["处室", *(week_label(monday) for monday in weekly.weeks), "无发布周数"])
    for cell in sheet[HEADING_ROW]:
        cell.font = Font(bold=True)
    for row in weekly.rows:
        cells = [count if count else "0 无发布" for count in row.counts]
        sheet.append([row.name, *cells, len(row.missed())])
    sheet.column_dimensions["A"].width = 16
    for index in range(2, len(weekly.weeks) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    sheet.freeze_panes = sheet.cell(row=HEADING_ROW + 1, column=2)


def _cells(values: dict) -> list:
    # None (no handling time: nothing finished) stays an empty cell, not 0 days.
    return list(values.values())
