"""Background work: the sweep that finds what is due, and the jobs it hands out.

The sweep reads two indexed columns (process_instance.next_timer_at, deadline.next_action_at),
so its cost grows with what is due, not with how many cases are open. Each job takes ids and a
moment, runs in its own transaction and is safe to run twice: a second run finds nothing due.
A due row is handed out once, not by every sweep until a worker got to it (services.handout).
Where the jobs run is the publisher's business: Celery workers with Redis, or this process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import select

from ..errors import ServiceError
from ..extensions import db
from ..models import OutgoingMessage
from . import (
    audit_chain,
    backup_daily,
    column_flows,  # noqa: F401 - registers its producer and completion hooks
    duties,  # noqa: F401 - registers its producer
    handout,
    health,
    late_streak,  # noqa: F401 - registers its producer
    scheduled,
)
from .cases import advance_case
from .engine import clock_at, now
from .escalation import act_on_deadline
from .notify import blanked, revealed
from .writes import versioned_update

log = logging.getLogger("govflow.jobs")
BATCH = 500


class Sender(Protocol):
    """Sends one e-mail or SMS (channel "mail" or "sms"); raises on failure. See service/mail.py."""

    def send(self, channel: str, address: str, subject: str, body: str) -> None: ...


class NotQueued(Exception):
    """A publisher could not hand a job over (e.g. Redis unreachable)."""


class Publisher(Protocol):
    """Hands a job to whoever runs background work; raises (NotQueued or the job's own error when
    it runs in place) if the job was not handed over or not done."""

    def publish(self, job: str, **kwargs: Any) -> None: ...


@dataclass
class SweepReport:
    timers: int
    deadlines: int

    def __str__(self) -> str:
        return f"{self.timers} case(s) with due timers, {self.deadlines} deadline(s) to act on"


def sweep(
    moment: datetime | None = None, publisher: Publisher | None = None, requeue_after: timedelta | None = None
) -> SweepReport:
    """Find due timers and deadline actions at `moment` and publish one job for each, passing over
    those already handed out less than `requeue_after` (GOVFLOW_REQUEUE_SECONDS) ago (issue 15)."""
    if requeue_after is None:
        requeue_after = timedelta(seconds=current_app.config["GOVFLOW_REQUEUE_SECONDS"])
    with clock_at(moment):
        at = now()
    db.session.rollback()  # each claim and each job is its own transaction
    out = publisher or current_publisher()
    stamp = at.isoformat()
    handed: dict[str, int] = {}
    for job in handout.handed_out_jobs():
        row_ids = handout.claim(job, at, requeue_after, BATCH)
        key = handout.row_key(job)
        failed = [row_id for row_id in row_ids if not _hand_over(out, job, **{key: row_id, "at": stamp})]
        handout.unclaim(job, failed, at)
        handed[job] = len(row_ids)
    _hand_over(out, "open_scheduled", at=stamp)
    _hand_over(out, "deliver_messages")
    _hand_over(out, "seal_audit")
    health.record_sweep()  # /health: when the sweep last ran (issue 15)
    return SweepReport(handed["fire_timers"], handed["act_on_deadline"])


def _hand_over(out: Publisher, job: str, **kwargs: Any) -> bool:
    """Publish one job; False (logged) if it was not handed over, so the next sweep tries again."""
    try:
        out.publish(job, **kwargs)
        return True
    except NotQueued:
        return False  # the publisher said why
    except Exception:  # noqa: BLE001 - a job run in place failed; the others still run
        db.session.rollback()
        log.exception("job %s %s failed: the next sweep tries again", job, kwargs)
        return False


def deliver_messages(sender: Sender | None = None, limit: int = 100) -> int:
    """Send what the outbox holds; a message is marked sent only after its sender accepted it."""
    sender = sender or current_app.extensions["govflow_sender"]
    query = select(OutgoingMessage).where(OutgoingMessage.sent_at.is_(None), OutgoingMessage.attempts < 5)
    sent = 0
    for message in db.session.scalars(query.order_by(OutgoingMessage.id).limit(limit)).all():
        try:
            # Claim first (committed), so two deliverers do not both send it.
            versioned_update(message, attempts=message.attempts + 1)
            db.session.commit()
        except Exception:  # noqa: BLE001 - someone else claimed it
            db.session.rollback()
            continue
        try:
            sender.send(message.channel, message.address, message.subject, revealed(message.body))
        except Exception as err:  # noqa: BLE001 - recorded and retried by the next sweep
            versioned_update(message, last_error=str(err)[:500])
        else:
            versioned_update(message, sent_at=now(), last_error=None, body=blanked(message.body))
            sent += 1
        db.session.commit()
    return sent


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


JOBS: dict[str, Callable[..., Any]] = {
    "fire_timers": lambda instance_id, at=None: advance_case(instance_id, _at(at)),
    "act_on_deadline": lambda deadline_id, at=None: act_on_deadline(deadline_id, _at(at)),
    "open_scheduled": lambda at=None: scheduled.open_due(_at(at)),
    "deliver_messages": lambda: deliver_messages(),
    "seal_audit": lambda: audit_chain.seal_and_anchor(),
    "daily_backup": lambda at=None: str(backup_daily.daily_backup(_at(at)) or ""),
}


def run_job(job: str, **kwargs: Any) -> Any:
    """Run one job here and now; a refusal (e.g. a concurrent change) is logged, not raised.
    A row's job then clears the row's handed-out mark."""
    try:
        return JOBS[job](**kwargs)
    except ServiceError as err:
        log.info("job %s %s skipped: %s", job, kwargs, err)
        return None
    finally:
        if job in handout.handed_out_jobs():  # done or failed: the next sweep may publish it again
            key = handout.row_key(job)
            handout.release(job, kwargs[key], _at(kwargs.get("at")))


class InlinePublisher:
    """No broker: every job runs at once, in this process."""

    def publish(self, job: str, **kwargs: Any) -> None:
        run_job(job, **kwargs)


def current_publisher() -> Publisher:
    return current_app.extensions["govflow_publisher"]
