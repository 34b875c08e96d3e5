"""恢复 (ORG-5, issue 15): a backup back into an empty database of the same schema revision.

Everything is checked before anything is written: the archive against its checksum file, the
manifest against its own checksum, every part against the manifest (none missing, none extra), the
schema revision against the database's, and the database for being empty: no people, no cases,
no row that names another; rows of a table that names none (what a migration seeds, such as the
audit chain's starting head) are replaced by the backup's. Then the files go into the file store
and the rows into the database in one transaction; if that fails the files it stored are deleted
again. On PostgreSQL the id sequences are set past the restored ids. The audit rows keep their seq
and hash, so `audit verify` passes afterwards.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tarfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Integer, Table, delete, func, insert, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ..errors import ServiceError
from ..extensions import db
from ..models import ProcessInstance, User
from . import audit
from .backup import schema_revision
from .backup_format import (
    CHUNK,
    FORMAT,
    MANIFEST,
    MANIFEST_SUM,
    checksum_path,
    decode_row,
    file_part,
    refused,
    sha256_of,
)
from .storage import KEY, file_store
from .unit import in_transaction

BATCH = 1000
# A database holding any of these is not empty, whatever else it holds (issue 15).
PEOPLE_AND_CASES = {User.__tablename__, ProcessInstance.__tablename__}


def restore_backup(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Restore the backup at `path` into this (empty) database and file store; its manifest."""
    archive = Path(path)
    manifest = verify_backup(archive)
    seeded = _check_database(manifest)
    stored: list[str] = []
    try:
        in_transaction(lambda: _load(archive, manifest, seeded, stored))
    except BaseException as err:
        for key in stored:
            file_store().delete(key)
        if isinstance(err, SQLAlchemyError):  # rows the database refuses: a backup edited by hand
            reason = str(err.orig if isinstance(err, DBAPIError) else err).splitlines()[0]
            raise refused(f"数据库拒绝了备份中的数据（{reason}），未恢复任何数据", "restore_failed") from err
        raise
    return manifest


def damaged(what: str) -> ServiceError:
    return refused(f"备份已损坏：{what}，未恢复任何数据", "backup_damaged")


def verify_backup(archive: Path) -> dict[str, Any]:
    """The manifest of a backup whose every part matches it; refused (naming the part) otherwise."""
    if not archive.is_file():
        raise refused(f"{archive} 不存在或不是备份文件", "backup_not_found")
    beside = checksum_path(archive)
    if beside.exists():
        expected = beside.read_text(encoding="ascii", errors="replace").split(" ")[0].strip()
        if sha256_of(archive) != expected:
            raise damaged(f"{archive.name} 的 SHA-256 与 {beside.name} 不符")
    with _members(archive) as members:
        manifest = _read_manifest(archive, members)
        expected_parts = _parts(manifest)
        for name, source in members:
            want = expected_parts.pop(name, None)
            if want is None:
                raise damaged(f"清单中没有 {name}")
            if _digest(source) != want:
                raise damaged(f"{name} 的 SHA-256 与清单不符")
    if expected_parts:
        raise damaged(f"缺少 {'、'.join(sorted(expected_parts))}")
    return manifest


@contextmanager
def _members(archive: Path) -> Iterator[Iterator[tuple[str, IO[bytes]]]]:
    """The archive's files in order, read as a stream; damage to the compression is a refusal."""
    try:
        with tarfile.open(archive, "r|gz") as tar:
            yield ((m.name, tar.extractfile(m)) for m in tar if m.isfile())  # type: ignore[misc]
    except (tarfile.TarError, zlib.error, EOFError, gzip.BadGzipFile) as err:
        raise damaged(f"{archive.name} 无法读出（{err}）") from err


def _read_manifest(archive: Path, members: Iterator[tuple[str, IO[bytes]]]) -> dict[str, Any]:
    # A stream: each part is read before the next is asked for.
    found = [(name, source.read()) for name, source in islice(members, 2)]
    if [name for name, _ in found] != [MANIFEST, MANIFEST_SUM]:
        raise refused(f"{archive.name} 不是 govflow 的备份（开头没有清单）", "backup_damaged")
    body, recorded = found[0][1], found[1][1].decode("ascii", "replace").strip()
    if hashlib.sha256(body).hexdigest() != recorded:
        raise damaged("清单的 SHA-256 与记录不符")
    try:
        manifest = json.loads(body)
        if manifest.get("format") != FORMAT:
            raise refused(
                f"不认识的备份格式 {manifest.get('format')!r}（本程序读 {FORMAT}）", "backup_format"
            )
        _parts(manifest)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise damaged(f"清单无法读出（{err}）") from err
    return manifest


def _parts(manifest: dict[str, Any]) -> dict[str, str]:
    """Every part the manifest names with its SHA-256; a file key the store would refuse is damage."""
    for item in manifest["files"]:
        if not KEY.match(item["key"]) or item["part"] != file_part(item["key"]):
            raise ValueError(f"不是文件库的键：{item['key']!r}")
    return {p["part"]: p["sha256"] for p in (*manifest["tables"], *manifest["files"])}


def _digest(source: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _check_database(manifest: dict[str, Any]) -> list[Table]:
    """Refuse a database of another revision, or one that holds people, cases or anything that names
    another row; the tables that hold rows all the same (a migration's seed, such as the audit chain's
    starting head), which the restore replaces."""
    with db.engine.connect() as conn:
        here = schema_revision(conn)
    if manifest["revision"] != here:
        raise refused(
            f"备份来自数据库版本 {manifest['revision']}，本库为 {here or '（未迁移）'}：请在迁移到 "
            f"{manifest['revision']} 的空库中恢复（flask --app service db upgrade {manifest['revision']}），"
            "恢复后再迁移到最新版本",
            "backup_revision",
        )
    ours = {t.name for t in db.metadata.sorted_tables}
    theirs = {t["name"] for t in manifest["tables"]}
    if ours != theirs:
        raise refused(f"备份与本程序的表不一致：{'、'.join(sorted(ours ^ theirs))}", "backup_revision")
    held = [t for t in db.metadata.sorted_tables if db.session.scalar(select(func.count()).select_from(t))]
    db.session.rollback()
    kept = [t.name for t in held if t.foreign_keys or t.name in PEOPLE_AND_CASES]
    if kept:
        held_by = "、".join(kept)
        raise refused(f"本库不是空库（{held_by} 已有数据）：只能恢复到刚迁移的空库中", "restore_not_empty")
    return held


def _load(archive: Path, manifest: dict[str, Any], seeded: list[Table], stored: list[str]) -> None:
    tables = {t.name: t for t in db.metadata.sorted_tables}
    parts = {t["part"]: tables[t["name"]] for t in manifest["tables"]}
    files = {f["part"]: f for f in manifest["files"]}
    for table in seeded:  # the backup holds their real rows
        db.session.execute(delete(table))
    expected = _parts(manifest)
    with _members(archive) as members:
        for name, source in members:
            if name in parts and _insert_rows(parts[name], source) != expected[name]:
                raise damaged(f"{name} 读出时与清单不符")  # changed since it was checked
            elif name in files:
                _store_file(files[name], source, stored)
    if db.engine.dialect.name == "postgresql":
        _advance_sequences()
    _record(archive, manifest)


def _record(archive: Path, manifest: dict[str, Any]) -> None:
    """The restore itself, in the log it restored (ORG-4): from which file, holding what."""
    rows = sum(t["rows"] for t in manifest["tables"])
    taken, files = manifest["created_at"], len(manifest["files"])
    summary = f"从备份 {archive.name}（{taken} 的数据）恢复：{rows} 行，{files} 个附件文件"
    facts = {key: manifest[key] for key in ("created_at", "revision", "database")}
    audit.record(
        None, audit.AuditKind.BACKUP_RESTORED, "backup", archive.name, summary, after=facts | {"rows": rows}
    )


def _insert_rows(table: Table, source: IO[bytes]) -> str:
    """Insert the rows of one table part; the SHA-256 of what was read."""
    digest, batch = hashlib.sha256(), []
    for line in source:
        digest.update(line)
        batch.append(decode_row(table, line.decode("utf-8")))
        if len(batch) == BATCH:
            db.session.execute(insert(table), batch)
            batch = []
    if batch:
        db.session.execute(insert(table), batch)
    return digest.hexdigest()


def _store_file(item: dict[str, Any], source: IO[bytes], stored: list[str]) -> None:
    written = file_store().put(item["key"], source)
    stored.append(item["key"])
    if written.sha256 != item["sha256"]:
        raise damaged(f"{item['part']} 读出时与清单不符")


def _advance_sequences() -> None:
    """Set each id sequence past the largest restored id, so the next row gets a new one."""
    quote = db.engine.dialect.identifier_preparer.quote
    for table in db.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        column = keys[0].name
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT MAX({quote(column)}) FROM {quote(table.name)}), 0) + 1, false)"
            ),
            {"table": table.name, "column": column},
        )
