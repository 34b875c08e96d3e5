"""One unit of work: the transaction every use case runs in, and the case history it writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm.exc import StaleDataError

from ..errors import conflict
from ..extensions import db
from ..models import CaseEvent, HumanTask, ProcessInstance, User
from ..models.events import EventKind
from .engine import now
from .writes import insert_rows

T = TypeVar("T")
R = TypeVar("R")


def in_transaction(work: Callable[[], T]) -> T:
    """Run `work` and commit with its history lines, or roll everything back.

    A row someone else changed meanwhile (StaleDataError) becomes a 409, never a lost update.
    """
    return _unit_of_work(work, commit=True)


def in_transaction_then(work: Callable[[], T], read: Callable[[T], R]) -> R:
    """in_transaction, answering `read` of what `work` returned, run after its history lines are
    written and before the commit: what a read after the commit would find, without a second
    transaction (issue 15)."""
    return _unit_of_work(work, commit=True, then=read)


def rehearse(work: Callable[[], T]) -> T:
    """Run `work` exactly as in_transaction would, then roll everything back (a dry run).

    Its writes reach the database (so a stale row is the same 409) and are undone: what it answers
    is what the real act would do, and nothing changes. Take what the answer needs from the rows
    before returning it: they are expired afterwards.
    """
    return _unit_of_work(work, commit=False)


def _unit_of_work(work: Callable[[], Any], *, commit: bool, then: Callable[[Any], Any] | None = None) -> Any:
    events: list[dict[str, Any]] = db.session.info.setdefault("case_events", [])
    events.clear()
    try:
        result = work()
        _write_events(events)
        events.clear()
        if then is not None:
            result = then(result)
        if commit:
            db.session.commit()
        else:
            db.session.flush()
            db.session.rollback()
        return result
    except StaleDataError as err:
        db.session.rollback()
        raise conflict("该案件刚被其他人修改，请刷新后重试", "concurrent_modification") from err
    except BaseException:
        db.session.rollback()
        raise
    finally:
        events.clear()


def _write_events(events: list[dict[str, Any]]) -> None:
    # One bulk insert at the end: cheaper than history rows going through the unit of work.
    insert_rows(CaseEvent, events)


def event(
    instance: ProcessInstance | int,
    actor: User | None,
    kind: EventKind,
    task: HumanTask | int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Queue one history line (ORG-4); the transaction writes them all at its end."""
    task_id = task.id if isinstance(task, HumanTask) else task
    db.session.info["case_events"].append(
        {
            "instance_id": instance if isinstance(instance, int) else instance.id,
            "at": now(),
            "actor_id": actor.id if actor else None,
            "kind": kind,
            "task_id": task_id,
            "details": details or {},
        }
    )
