"""The annual disclosure report as an Excel workbook (openpyxl): one sheet per section of the national
template (二 主动公开, 三 依申请公开, 四 复议诉讼, 五六 文字), the year and the time of export at the top of
each, as statistics_export does; the same figures as the page and the API."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from workflows import disclosure_report as rules
from workflows.calendar import SERVICE_TZ

from ..models import User
from . import disclosure_report
from .disclosure_report import AnnualReport
from .statistics_export import MEDIA_TYPE

__all__ = ["MEDIA_TYPE", "workbook_bytes"]
SHEETS = ("二、主动公开", "三、依申请公开", "四、复议诉讼", "五六、问题与其他")


def workbook_bytes(user: User, year: int) -> tuple[bytes, str]:
    """The workbook of a year's report and its file name."""
    report = disclosure_report.report(user, year)
    book = Workbook()
    book.remove(book.active)
    _proactive(_sheet(book, report, SHEETS[0]), report)
    _requests(_sheet(book, report, SHEETS[1]), report)
    _appeals(_sheet(book, report, SHEETS[2]), report)
    _texts(_sheet(book, report, SHEETS[3]), report)
    out = BytesIO()
    book.save(out)
    return out.getvalue(), f"政府信息公开工作年度报告-{year}.xlsx"


def _sheet(book: Workbook, report: AnnualReport, name: str) -> Worksheet:
    sheet = book.create_sheet(name)
    sheet.append([f"{report.title}{report.year}年政府信息公开工作年度报告·{name}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["报告年度", f"{report.year}年"])
    exported = report.generated_at.astimezone(SERVICE_TZ).strftime("%Y-%m-%d %H:%M")
    sheet.append(["导出时间", f"{exported}（北京时间）"])
    sheet.append([])
    sheet.column_dimensions["A"].width = 48
    for letter in "BCDEFGHIJKLMNOP":
        sheet.column_dimensions[letter].width = 14
    return sheet


def _heading(sheet: Worksheet, *cells: object) -> None:
    sheet.append(list(cells))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _proactive(sheet: Worksheet, report: AnnualReport) -> None:
    numbers = report.entries.numbers
    _heading(sheet, "第二十条第（一）项", *(label for _, label in rules.DOCUMENT_FIGURES))
    for kind, label in rules.DOCUMENT_KINDS:
        sheet.append([label, *(numbers[f"{kind}_{figure}"] for figure, _ in rules.DOCUMENT_FIGURES)])
    sheet.append([])
    _heading(sheet, "信息内容", "本年处理决定数量")
    for key, article, label in rules.DECISIONS:
        sheet.append([f"{article} {label}", numbers[f"{key}_decisions"]])
    sheet.append([])
    _heading(sheet, "第二十条第（八）项", "本年收费金额（单位：万元）")
    fees = numbers[rules.FEES_KEY]
    sheet.append(["行政事业性收费", float(rules.ten_thousands(fees)) if fees is not None else None])
    sheet.append([])
    _heading(sheet, "本年经信息发布流程发布的信息", "条数")
    for item in report.published:
        sheet.append([item.label, item.count])
    _heading(sheet, "合计", report.published_total)


def _requests(sheet: Worksheet, report: AnnualReport) -> None:
    if report.broken_columns:
        sheet.append(["注意：本表勾稽关系不成立（新收 + 上年结转 ≠ 办理结果总计 + 结转下年度），请核查"])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, color="B0191E")
    _heading(sheet, "申请人情况", "", rules.ORGANISATION_GROUP)
    _heading(sheet, "", *(label for _, label in rules.COLUMNS))
    table = report.requests
    for row in rules.request_rows():
        label = "　" * row.level + row.label
        if row.counted:
            sheet.append([label, *(table.get(row.key, key) for key, _ in rules.COLUMNS)])
        else:
            sheet.append([label])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True)
    if table.unclassified:
        sheet.append([f"其中 {table.unclassified} 件答复未注明理由，计入“其他处理·其他”"])


def _appeals(sheet: Worksheet, report: AnnualReport) -> None:
    numbers, totals = report.entries.numbers, report.appeal_totals
    _heading(sheet, "", *(label for _, label in rules.OUTCOMES), "总计")
    for appeal, label in rules.APPEALS:
        sheet.append([label, *(numbers[f"{appeal}_{o}"] for o, _ in rules.OUTCOMES), totals[appeal]])


def _texts(sheet: Worksheet, report: AnnualReport) -> None:
    for key, label in rules.TEXTS:
        _heading(sheet, label)
        sheet.append([report.entries.texts[key]])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.append([])
