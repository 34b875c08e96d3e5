"""Helpers of the backup tests (ORG-5): an empty migrated database to restore into, every row of
every table, and a backup opened, changed and packed again as someone damaging it would."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

from sqlalchemy import JSON, create_engine, func, select
from sqlalchemy.engine import make_url

from service.extensions import db
from service.services.backup_format import MANIFEST, MANIFEST_SUM, checksum_path


def empty_database(source_url: str, tmp_path: Path, kind: str | None = None, suffix: str = "restore") -> str:
    """The URL of a new, empty database of `kind` (default: the source's) beside the source's."""
    url = make_url(source_url)
    if (kind or url.get_backend_name()) == "sqlite":
        return f"sqlite:///{tmp_path / f'{suffix}.db'}"
    name = f"{url.database}_{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def migrated_app(overrides: dict, url: str, files: Path, clock, sender):
    """The service on the database at `url`, migrated to the newest revision, its files under `files`."""
    from flask_migrate import upgrade

    from service import create_app

    app = create_app(
        {**overrides, "SQLALCHEMY_DATABASE_URI": url, "GOVFLOW_FILES": str(files)}, clock=clock, sender=sender
    )
    with app.app_context():
        upgrade()
    return app


def every_row(app) -> dict[str, list[tuple]]:
    """Every row of every table, ordered by key, as the service reads it."""
    with app.app_context():
        rows = {
            table.name: [
                tuple(r) for r in db.session.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in db.metadata.sorted_tables
        }
        db.session.rollback()
    return rows


def restores_apart(rows: dict[str, list[tuple]]) -> tuple[dict[str, list[tuple]], list[tuple]]:
    """The rows without the audit entries restores wrote about themselves, and those entries."""
    kind = [c.name for c in db.metadata.tables["audit_entry"].columns].index("kind")
    entries = rows["audit_entry"]
    restores = [e for e in entries if e[kind] == "backup_restored"]
    return {**rows, "audit_entry": [e for e in entries if e not in restores]}, restores


def sql_nulls(app) -> dict[str, int]:
    """Per JSON column, how many rows hold SQL NULL (read back as None, like a JSON null); the audit
    entries restores wrote about themselves left out."""
    with app.app_context():
        found = {
            f"{table.name}.{column.name}": db.session.scalar(
                select(func.count())
                .select_from(table)
                .where(
                    column.is_(None),
                    *([table.c.kind != "backup_restored"] if table.name == "audit_entry" else []),
                )
            )
            or 0
            for table in db.metadata.sorted_tables
            for column in table.columns
            if isinstance(column.type, JSON)
        }
        db.session.rollback()
    return found


def rows_held(app) -> int:
    """How many rows the database holds beyond the migration's starting audit chain head."""
    with app.app_context():
        count = sum(
            db.session.scalar(select(func.count()).select_from(t)) or 0 for t in db.metadata.sorted_tables
        )
        db.session.rollback()
    return count - 1


def stored_bytes(app, *, live_only: bool = False) -> dict[str, bytes]:
    """Every file in the app's store by key, or (live_only) those a live attachment names: the
    session's store also keeps the files of earlier tests' cases."""
    from service.models import Attachment
    from service.services.storage import file_store

    with app.app_context():
        store = file_store()
        keys = list(store.keys())
        if live_only:
            keys = list(
                db.session.scalars(select(Attachment.storage_key).where(Attachment.removed_at.is_(None)))
            )
            db.session.rollback()
        result = {}
        for key in keys:
            with store.open(key) as source:
                result[key] = source.read()
        return result


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def repack(archive: Path, parts: dict[str, bytes], *, reseal: bool = False) -> None:
    """Write `parts` as the archive again with a checksum beside that matches it, as a careless copy
    or a bad disk would leave it; with `reseal`, the manifest's own checksum is made to match too."""
    if reseal:
        parts[MANIFEST_SUM] = hashlib.sha256(parts[MANIFEST]).hexdigest().encode()
    archive.unlink()
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in parts.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    checksum_path(archive).write_text(f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  {archive.name}\n")


def manifest_of(archive: Path) -> dict:
    return json.loads(members(archive)[MANIFEST])
