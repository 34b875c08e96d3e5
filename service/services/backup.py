"""备份 (ORG-5, issue 15): one consistent backup of the database and the stored files in one file.

Consistent: every table is read in one snapshot (PostgreSQL: one REPEATABLE READ, READ ONLY
transaction; SQLite: one read transaction), and the files are copied after the rows, only those the
snapshot's live attachment rows name, each checked against the SHA-256 its row keeps. Every table of
`db.metadata` is written, so a table a later change adds is backed up without touching this module.

The archive is built in a hidden folder beside PATH and appears under PATH only when complete (its
checksum file first), by a link that fails rather than replace a file that appeared meanwhile: a
crash leaves no file that looks like a backup, and an existing PATH is never overwritten.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, text

from ..extensions import db
from ..models import Attachment
from .backup_format import (
    CHUNK,
    FORMAT,
    MANIFEST,
    MANIFEST_SUM,
    checksum_path,
    encode_row,
    file_part,
    refused,
    sha256_of,
    table_part,
)
from .engine import now
from .storage import file_store


def write_backup(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Write a backup to `path` (a new file, `.tar.gz`) and its checksum beside it; the manifest."""
    target = Path(path)
    if target.exists() or checksum_path(target).exists():
        raise refused(f"{target} 已存在：备份从不覆盖已有的文件，请换一个路径", "backup_exists")
    if not target.parent.is_dir():
        raise refused(f"文件夹 {target.parent} 不存在", "backup_folder_missing")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as folder:
        work = Path(folder)
        manifest, attachments = _dump_rows(work)
        manifest["files"] = [_copy_file(work, *row) for row in attachments]
        archive = work / "archive"
        _pack(archive, work, manifest)
        _publish(archive, target)
    return manifest


@contextmanager
def snapshot() -> Iterator[Connection]:
    """A connection that reads the whole database as of one moment, and writes nothing."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with engine.connect().execution_options(**options) as conn, conn.begin():
            yield conn
        return
    with engine.connect() as conn:
        # pysqlite begins a transaction only before a write: begin one, so every read below sees
        # the same state of the file (WAL keeps it for the reader while writers go on).
        conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def schema_revision(conn: Connection) -> str:
    """The Alembic revision the database is at (revisions joined by a comma if it has several)."""
    return ",".join(sorted(conn.scalars(text("SELECT version_num FROM alembic_version"))))


def _dump_rows(work: Path) -> tuple[dict[str, Any], list[tuple[int, str, str]]]:
    (work / "tables").mkdir()
    with snapshot() as conn:
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": now().isoformat(),
            "revision": schema_revision(conn),
            "database": conn.dialect.name,
            "tables": [],
        }
        for table in db.metadata.sorted_tables:
            part = table_part(table)
            digest, rows = hashlib.sha256(), 0
            with (work / part).open("wb") as out:
                query = select(table).order_by(*table.primary_key.columns)
                for row in conn.execution_options(yield_per=1000).execute(query):
                    line = (encode_row(table, row) + "\n").encode("utf-8")
                    digest.update(line)
                    out.write(line)
                    rows += 1
            manifest["tables"].append(
                {"name": table.name, "part": part, "rows": rows, "sha256": digest.hexdigest()}
            )
        live = select(Attachment.id, Attachment.storage_key, Attachment.sha256).where(
            Attachment.removed_at.is_(None)
        )
        attachments = [tuple(row) for row in conn.execute(live.order_by(Attachment.id))]
    return manifest, attachments  # type: ignore[return-value]


def _copy_file(work: Path, attachment_id: int, key: str, expected: str) -> dict[str, Any]:
    """Copy one attachment's bytes into the backup; refused when they are missing or changed."""
    copy = work / file_part(key)
    copy.parent.mkdir(exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with file_store().open(key) as source, copy.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
    except FileNotFoundError as err:
        where = f"附件 #{attachment_id} 的文件 {key}"
        raise refused(f"{where} 不在文件库（GOVFLOW_FILES）中：备份未写出", "backup_file_missing") from err
    if digest.hexdigest() != expected:
        raise refused(
            f"附件 #{attachment_id} 的文件 {key} 与其记录的 SHA-256 不符（文件已损坏）：备份未写出",
            "backup_file_damaged",
        )
    return {
        "key": key,
        "part": file_part(key),
        "attachment_id": attachment_id,
        "size": size,
        "sha256": digest.hexdigest(),
    }


def _pack(archive: Path, work: Path, manifest: dict[str, Any]) -> None:
    """The manifest and its checksum first, then the tables in dependency order, then the files."""
    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    moment = now().timestamp()
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in ((MANIFEST, body), (MANIFEST_SUM, hashlib.sha256(body).hexdigest().encode())):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), int(moment), 0o600
            tar.addfile(info, io.BytesIO(data))
        for part in [t["part"] for t in manifest["tables"]] + [f["part"] for f in manifest["files"]]:
            tar.add(work / part, arcname=part, recursive=False)
    archive.chmod(0o600)  # applicants' details and password hashes: for the service's account only
    with archive.open("rb") as done:
        os.fsync(done.fileno())


def _publish(archive: Path, target: Path) -> None:
    """Put the checksum, then the archive, under their names; never over a file that exists."""
    line = f"{sha256_of(archive)}  {target.name}\n"
    pending = archive.with_name("checksum")
    pending.write_text(line, encoding="ascii")
    _link(pending, checksum_path(target))
    try:
        _link(archive, target)
    except BaseException:
        checksum_path(target).unlink(missing_ok=True)
        raise


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # fails if target exists, unlike a rename
    except FileExistsError as err:
        raise refused(f"{target} 已存在：备份从不覆盖已有的文件，请换一个路径", "backup_exists") from err
    except OSError:  # a file system without hard links
        if target.exists():
            raise refused(f"{target} 已存在：备份从不覆盖已有的文件", "backup_exists") from None
        os.replace(source, target)
