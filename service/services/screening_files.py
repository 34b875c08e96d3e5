"""Word-list files: CSV (UTF-8) and Excel .xlsx as offices receive them from higher authorities.

Rows come back with their number as a spreadsheet shows it (the header is row 1), so an import
error can name the row to fix.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import ServiceError
from ..models import ScreeningTerm

COLUMNS = ("text", "category", "severity", "suggestion", "note")
REQUIRED_COLUMNS = {"text": "词语", "category": "类别", "severity": "严重程度"}
# The headings lists from higher authorities tend to carry, besides our own.
HEADINGS = {
    "词语": "text",
    "词条": "text",
    "错误表述": "text",
    "敏感词": "text",
    "类别": "category",
    "分类": "category",
    "严重程度": "severity",
    "级别": "severity",
    "建议表述": "suggestion",
    "正确表述": "suggestion",
    "建议": "suggestion",
    "备注": "note",
    "说明": "note",
}

Row = tuple[int, dict[str, str]]


MAX_FILE_BYTES = 2 * 1024 * 1024  # a 20,000-term list is well under 1 MB as CSV


def read_rows(path: str | Path) -> list[Row]:
    """The data rows of a .csv or .xlsx word list with a header row, each with its row number."""
    return _rows(_table(Path(path).suffix, Path(path).read_bytes()))


def read_upload(filename: str, data: bytes) -> list[Row]:
    """The data rows of an uploaded word list (as read_rows), refused over MAX_FILE_BYTES."""
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise ServiceError("file_too_large", f"文件不能超过 {limit} MB", 413, field="file")
    return _rows(_table(Path(filename).suffix, data))


def csv_bytes(terms: Iterable[ScreeningTerm]) -> tuple[bytes, int]:
    """Terms as CSV with a header row, and how many; read_rows and read_upload read it back."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for term in terms:
        writer.writerow([term.text, term.category, term.severity, term.suggestion, term.note])
        count += 1
    # With a byte-order mark Excel opens the file as UTF-8 instead of the local code page.
    return out.getvalue().encode("utf-8-sig"), count


def write_csv(path: str | Path, terms: Iterable[ScreeningTerm]) -> int:
    """Write terms as CSV with a header row; returns how many were written."""
    data, count = csv_bytes(terms)
    Path(path).write_bytes(data)
    return count


def _table(suffix: str, data: bytes) -> list[list[str]]:
    if suffix.lower() == ".csv":
        return _csv_table(data)
    if suffix.lower() == ".xlsx":
        return _xlsx_table(data)
    raise _unreadable("只能导入 .csv 或 .xlsx 文件")


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable("CSV 文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8”或 .xlsx") from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise _unreadable("无法读取该 CSV 文件") from None


def _xlsx_table(data: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError):
        raise _unreadable("无法读取该 Excel 文件，请确认是 .xlsx 格式") from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed into a text column
    return str(value)


def _rows(table: list[list[str]]) -> list[Row]:
    if not table:
        raise _unreadable("文件是空的，第 1 行应为表头")
    columns = [_column(heading) for heading in table[0]]
    missing = [label for name, label in REQUIRED_COLUMNS.items() if name not in columns]
    if missing:
        raise _unreadable(f"表头缺少列：{'、'.join(missing)}（text、category、severity）")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if any(cell.strip() for cell in cells):  # Excel often leaves blank rows at the end
            rows.append((number, {name: cell for name, cell in zip(columns, cells, strict=False) if name}))
    return rows


def _column(heading: str) -> str | None:
    key = heading.strip().lower()
    return key if key in COLUMNS else HEADINGS.get(key)


def _unreadable(message: str) -> ServiceError:
    return ServiceError("unreadable_file", message, 422, field="file")
