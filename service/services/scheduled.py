"""Cases the service opens by itself (issue 14): recurring duties on their day (REC), reminders for
stale columns (COL-4), a principal leader's request to explain (STAT-2).

A *producer* says, for today and the active profile, which occurrences should have a case: each an
`Opening` named by its source and an occurrence key (`drill:2026`). The sweep's `open_scheduled` job
asks every producer and opens what is not open yet, each in its own transaction together with its
`scheduled_case` row, whose unique key makes a second sweep (or two at once) open nothing more.
An occurrence whose diagram is not deployed, or whose department nobody staffs, is logged and tried
again by the next sweep: nothing is recorded as opened that was not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflows.profiles import Profile

from ..errors import ServiceError, not_found
from ..extensions import db
from ..models import ProcessInstance, ScheduledCase
from ..models.events import EventKind
from . import clocks
from .cases import begin_case
from .deployment import newest_definition
from .engine import clock_at, engine, now
from .unit import event, in_transaction

log = logging.getLogger("govflow.scheduled")


@dataclass(frozen=True)
class Opening:
    """One case a producer wants open: the diagram, its start values (the owning department among
    them) and the words the case's history gives as the reason."""

    source: str
    occurrence: str
    process: str
    reason: str
    values: dict[str, Any] = field(default_factory=dict)


Producer = Callable[[date, Profile], Iterable[Opening]]
_PRODUCERS: dict[str, Producer] = {}


def producer(source: str) -> Callable[[Producer], Producer]:
    """Register a function that names the openings due for `source` (a module-level decorator)."""

    def register(make: Producer) -> Producer:
        _PRODUCERS[source] = make
        return make

    return register


def open_due(moment: datetime | None = None) -> int:
    """Open every case some producer wants and nobody opened yet; how many were opened."""
    with clock_at(moment):
        today, profile = clocks.today(), engine().profile
        opened = 0
        for source, make in list(_PRODUCERS.items()):
            wanted = list(make(today, profile))
            done = opened_occurrences(source, [opening.occurrence for opening in wanted])
            opened += sum(_open(opening) for opening in wanted if opening.occurrence not in done)
        db.session.rollback()  # end the producers' reads
        return opened


def opened_occurrences(source: str, occurrences: list[str]) -> set[str]:
    """Which of these occurrences of `source` already have a case."""
    if not occurrences:
        return set()
    query = select(ScheduledCase.occurrence).where(
        ScheduledCase.source == source, ScheduledCase.occurrence.in_(occurrences)
    )
    return set(db.session.scalars(query))


def case_of(source: str, occurrence: str) -> ProcessInstance | None:
    """The case opened for one occurrence, if any."""
    query = (
        select(ProcessInstance)
        .join(ScheduledCase, ScheduledCase.instance_id == ProcessInstance.id)
        .where(ScheduledCase.source == source, ScheduledCase.occurrence == occurrence)
    )
    return db.session.scalar(query)


def _open(opening: Opening) -> bool:
    try:
        in_transaction(lambda: _open_case(opening))
    except IntegrityError:
        return False  # another sweep opened it a moment ago
    except ServiceError as err:
        log.warning("%s %s not opened: %s", opening.source, opening.occurrence, err)
        return False
    return True


def _open_case(opening: Opening) -> None:
    row = newest_definition(opening.process)
    if row is None:
        raise not_found(f"流程“{opening.process}”", "process_definition_not_found")
    instance = begin_case(row, engine().definition(row), dict(opening.values), None, None)
    event(instance, None, EventKind.OPENED_ON_SCHEDULE, details={"label": opening.reason})
    db.session.add(
        ScheduledCase(
            source=opening.source, occurrence=opening.occurrence, instance_id=instance.id, opened_at=now()
        )
    )
    db.session.flush()
