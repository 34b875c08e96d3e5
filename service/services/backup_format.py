"""The backup's format (ORG-5), shared by writing and restoring it.

One `.tar.gz` file holds `manifest.json`, one part per table (`tables/<name>.jsonl`, a JSON object a
row, in the order `db.metadata.sorted_tables` gives, so parents come before the rows that name them)
and `files/<key>` for each stored attachment. The manifest names the format, the schema revision,
the moment, and for every part its row count or size and SHA-256; `manifest.sha256` inside holds the
manifest's own SHA-256, and `<archive>.sha256` beside the archive (the `sha256sum` format) the
archive's. Rows are logical: values are encoded by their column's type (dates as ISO text, bytes as
base64), so a backup of SQLite restores into PostgreSQL and back.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.types import TypeDecorator

from ..errors import ServiceError

FORMAT = "govflow-backup/1"
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
TABLES = "tables/"
FILES = "files/"
CHUNK = 1024 * 1024


def refused(message: str, code: str = "backup_refused") -> ServiceError:
    """A backup or restore that cannot go on; the message says why, in the operator's language."""
    return ServiceError(code, message, 409)


def table_part(table: Table) -> str:
    return f"{TABLES}{table.name}.jsonl"


def file_part(key: str) -> str:
    return f"{FILES}{key}"


def checksum_path(archive: Path) -> Path:
    """Where the archive's own checksum lives: beside it, `<name>.sha256`."""
    return archive.with_name(archive.name + ".sha256")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _python_type(column: Column) -> type | None:
    kind = column.type
    if isinstance(kind, TypeDecorator):  # e.g. UTCDateTime: what it stores is its impl's
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def encode_row(table: Table, row: Any) -> str:
    """One row as a line of JSON; values the JSON cannot hold are encoded by their column's type."""
    item = {}
    for column in table.columns:
        value = row._mapping[column]
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, bytes | memoryview):
            value = base64.b64encode(bytes(value)).decode("ascii")
        item[column.name] = value
    return json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode_row(table: Table, line: str) -> dict[str, Any]:
    """A line encode_row wrote, back to the values its table's columns take."""
    item = json.loads(line)
    row = {}
    for column in table.columns:
        value = item[column.name]
        kind = _python_type(column)
        if value is not None and kind is datetime:
            value = datetime.fromisoformat(value)
        elif value is not None and kind is date:
            value = date.fromisoformat(value)
        elif value is not None and kind is bytes:
            value = base64.b64decode(value)
        row[column.name] = value
    return row
