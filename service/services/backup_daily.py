"""The daily backup (ORG-5: server data is backed up every day): into GOVFLOW_BACKUP_DIR, keeping
the newest GOVFLOW_BACKUP_KEEP.

Beat asks every hour and the in-process sweeper every sweep; a day (Beijing time) that already has
a backup gets no second one, so a server that was down at the usual hour still backs up that day.
A failed backup is logged, deletes nothing and is tried again an hour later (the moment of the
failure is kept in the folder, so every process waits alike).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

from workflows.calendar import SERVICE_TZ

from .backup import write_backup
from .backup_format import checksum_path
from .engine import clock_at, now

log = logging.getLogger("govflow.backup")
NAME = re.compile(r"^govflow-(\d{8})-\d{6}\.tar\.gz$")
FAILED = ".last-failure"
RETRY = timedelta(hours=1)


def backup_folder() -> Path:
    return Path(current_app.config["GOVFLOW_BACKUP_DIR"])


def backup_name(at: datetime) -> str:
    """The file name a backup taken at `at` gets in a folder: govflow-YYYYMMDD-HHMMSS.tar.gz."""
    return at.astimezone(SERVICE_TZ).strftime("govflow-%Y%m%d-%H%M%S.tar.gz")


def kept_backups(folder: Path) -> list[Path]:
    """The daily backups in `folder`, oldest first (their names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if NAME.match(p.name) and p.is_file())


def daily_backup(moment: datetime | None = None) -> Path | None:
    """Write today's backup unless there is one (or one failed within the hour); the file written."""
    with clock_at(moment):
        at = now().astimezone(SERVICE_TZ)
    folder = backup_folder()
    if any(_day(p) == at.strftime("%Y%m%d") for p in kept_backups(folder)) or _failed_lately(folder, at):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup_name(at)
    try:
        with clock_at(at):
            write_backup(target)
    except Exception:  # noqa: BLE001 - logged; the older backups stay, the next hour tries again
        log.exception("daily backup to %s failed; no older backup was deleted", target)
        (folder / FAILED).write_text(at.isoformat(), encoding="ascii")
        return None
    (folder / FAILED).unlink(missing_ok=True)
    removed = prune(folder, int(current_app.config["GOVFLOW_BACKUP_KEEP"]))
    log.info("daily backup %s written; %d older one(s) removed", target.name, len(removed))
    return target


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` daily backups (with their checksum files); those deleted."""
    backups = kept_backups(folder)
    old = backups[: max(len(backups) - max(keep, 1), 0)]
    for path in old:
        path.unlink(missing_ok=True)
        checksum_path(path).unlink(missing_ok=True)
    return old


def _day(path: Path) -> str:
    found = NAME.match(path.name)
    return found.group(1) if found else ""


def _failed_lately(folder: Path, at: datetime) -> bool:
    try:
        failed = datetime.fromisoformat((folder / FAILED).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return False
    return failed + RETRY > at
