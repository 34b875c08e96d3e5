"""Which due clocks and timers the sweep has handed out and no job has finished yet (issue 15).

Until a worker has run the job for a due row, the row is still due; without a mark every sweep
published it again (after a Redis outage the worker ran some twenty jobs per due clock). So the
sweep claims what it publishes: deadline.queued_at or process_instance.timers_queued_at gets the
sweep's moment, later sweeps pass over the row, and the job clears the mark when it is done. A
publish that failed takes its mark back at once; a job lost on the way (a killed worker, a queue
emptied by a Redis restart) leaves its mark, and the row is published again once the requeue
window has run out: nothing stays stranded.

The marks are written with Core UPDATEs that leave `version` alone, and that is safe: the version
guards the columns a step reads and decides on, while no step reads or writes a mark, and each
side's UPDATE names only its own columns, so neither can undo the other's write. Bumping the
version would instead turn a step that read the row a moment before the sweep into a 409.
The claim locks its rows with SKIP LOCKED (PostgreSQL; SQLite has one writer anyway): it never
waits for a step holding a row, which is then left for the next sweep, so the sweep neither
stalls behind a step nor takes part in a deadlock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Column, Table, or_, select, update

from ..extensions import db
from ..models import Deadline, ProcessInstance

log = logging.getLogger("govflow.jobs")


@dataclass(frozen=True)
class _Kind:
    table: Table
    mark: Column  # when the row was handed out, NULL when no job is out for it
    due: Column  # the moment the row falls due
    key: str  # the job's argument naming the row


@cache
def _kinds() -> dict[str, _Kind]:
    cases: Table = ProcessInstance.__table__  # type: ignore[assignment]
    clocks: Table = Deadline.__table__  # type: ignore[assignment]
    return {
        "fire_timers": _Kind(cases, cases.c.timers_queued_at, cases.c.next_timer_at, "instance_id"),
        "act_on_deadline": _Kind(clocks, clocks.c.queued_at, clocks.c.next_action_at, "deadline_id"),
    }


def handed_out_jobs() -> tuple[str, ...]:
    """The jobs the sweep hands out per row: (fire_timers, act_on_deadline)."""
    return tuple(_kinds())


def row_key(job: str) -> str:
    return _kinds()[job].key


def claim(job: str, at: datetime, window: timedelta, limit: int) -> list[int]:
    """Mark (committed) and return up to `limit` rows due at `at`, earliest first, that no sweep
    handed out within `window` before `at`."""
    kind = _kinds()[job]
    table = kind.table
    due = (
        select(table.c.id)
        .where(
            table.c.status == "running",
            kind.due <= at,
            or_(kind.mark.is_(None), kind.mark <= at - window),
        )
        .order_by(kind.due)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    marked = db.session.execute(
        update(table).where(table.c.id.in_(due)).values({kind.mark: at}).returning(table.c.id, kind.due)
    ).all()
    db.session.commit()
    return [row_id for row_id, _ in sorted(marked, key=lambda row: row[1])]


def unclaim(job: str, row_ids: list[int], at: datetime) -> None:
    """Take back the marks of a sweep at `at` whose publish failed: the next sweep tries again."""
    if row_ids:
        kind = _kinds()[job]
        table = kind.table
        mine = update(table).where(table.c.id.in_(row_ids), kind.mark == at)
        db.session.execute(mine.values({kind.mark: None}))
        db.session.commit()


def release(job: str, row_id: int, at: datetime | None) -> None:
    """The job handed out at `at` is done: clear its mark (not a later sweep's), so the row's next
    due moment is published by the next sweep. A failure leaves the mark to the window."""
    kind = _kinds()[job]
    table = kind.table
    statement = update(table).where(table.c.id == row_id).values({kind.mark: None})
    if at is not None:
        statement = statement.where(kind.mark <= at)
    try:
        db.session.execute(statement)
        db.session.commit()
    except Exception as err:  # noqa: BLE001 - the window republishes the row
        db.session.rollback()
        log.warning("job %s on %s done, mark left to the window (%s)", job, row_id, type(err).__name__)
