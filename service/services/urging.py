"""催办: someone with a stake in a case urges whoever holds one of its open tasks (ESC-1, issue 11).

Who may urge: an administrator, the person who started the case or completed a task of it, and a
leader in charge of the task's department. The organisation has no notion of "the office" as
overseer, so its staff urge as case participants. Each urge is counted on the task, written in the
history (ORG-4) and sent to the holder (or, unclaimed, to the people who may act on it).
Each public function is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select

from ..errors import conflict, forbidden, not_found
from ..extensions import db
from ..models import CaseEvent, HumanTask, User
from ..models.events import EventKind
from .engine import now
from .notify import notify, people_of
from .remarks import optional_text
from .unit import event, in_transaction
from .writes import versioned_update

MESSAGE_LIMIT = 200
# One person urging the same task again within this time is refused: nobody floods the holder.
QUIET = timedelta(hours=1)


@dataclass(frozen=True)
class Urging:
    """How often a task was urged and by whom last, and what this person may do about it."""

    count: int
    last_by: str
    last_at: datetime | None
    may_urge: bool
    urged_recently: bool  # this person urged it within QUIET: the button is not offered


def urge_task(user: User, task_id: int, message: Any = None) -> HumanTask:
    """Urge the holder of an open task, with an optional message."""
    return in_transaction(lambda: _urge(user, task_id, message))


def may_urge(user: User, task: HumanTask) -> bool:
    """Has this person a stake in the task's case that lets them urge it (and see it)?"""
    if user.is_admin or task.instance.started_by_id == user.id:
        return True
    if any(o.department_id == task.department_id for o in user.oversights):
        return True
    done_by_them = exists().where(
        HumanTask.instance_id == task.instance_id, HumanTask.completed_by_id == user.id
    )
    return bool(db.session.scalar(select(done_by_them)))


def holders(task: HumanTask) -> list[User]:
    """Whom an urge reaches: the holder (and a delegate working on it), or, while nobody holds it,
    the people who may act on it."""
    if task.assignee is not None:
        return [task.assignee] + ([task.delegate] if task.delegated and task.delegate else [])
    return [p for p in people_of(task.department_id, task.role) if p.id != task.barred_user_id]


def urging(user: User, task: HumanTask) -> Urging:
    """The task's urges as its page shows them, and whether this person may urge it now."""
    last = _last_urge(task) if task.urge_count else None
    recently = task.status == "open" and _urged_recently(user, task)
    allowed = (
        task.status == "open"
        and not recently
        and may_urge(user, task)
        and user.id not in {p.id for p in holders(task)}
    )
    return Urging(
        task.urge_count,
        last.actor.name if last is not None and last.actor else "",
        task.last_urged_at,
        allowed,
        recently,
    )


def _urge(user: User, task_id: int, message: Any) -> HumanTask:
    task = db.session.get(HumanTask, task_id)
    if task is None:
        raise not_found("任务", "task_not_found")
    if not may_urge(user, task):
        raise forbidden("只有案件的发起人、经办人、分管领导或管理员可以催办", "not_allowed_to_urge")
    if task.status != "open":
        raise conflict("该任务已不在待办状态", "task_not_open")
    people = holders(task)
    if user.id in {p.id for p in people}:
        raise conflict("这是您自己待办的任务，无需催办", "own_task")
    message = optional_text(message, "message", "催办留言", MESSAGE_LIMIT)
    if _urged_recently(user, task):
        raise conflict("您在一小时内已催办过该任务，请稍后再催", "urged_recently")
    versioned_update(task, urge_count=task.urge_count + 1, last_urged_at=now())
    names = [p.name for p in people]
    details = {"task": task.name, "message": message, "count": task.urge_count, "to": names}
    event(task.instance, user, EventKind.TASK_URGED, task, details)
    title = f"催办：{user.name}催办“{task.name}”（{task.instance.tracking_number}）"
    body = message or "请抓紧办理。"
    key = f"task:{task.id}:urge:{task.urge_count}"
    notify(people, key, "urge", title, body, instance_id=task.instance_id, task_id=task.id)
    return task


def _urged_recently(user: User, task: HumanTask) -> bool:
    if task.last_urged_at is None or task.last_urged_at <= now() - QUIET:
        return False  # nobody urged it within the hour: no need to look at the history
    query = select(CaseEvent.id).where(
        CaseEvent.instance_id == task.instance_id,
        CaseEvent.task_id == task.id,
        CaseEvent.kind == EventKind.TASK_URGED,
        CaseEvent.actor_id == user.id,
        CaseEvent.at > now() - QUIET,
    )
    return db.session.scalar(query.limit(1)) is not None


def _last_urge(task: HumanTask) -> CaseEvent | None:
    query = select(CaseEvent).where(CaseEvent.task_id == task.id, CaseEvent.kind == EventKind.TASK_URGED)
    return db.session.scalar(query.order_by(CaseEvent.id.desc()).limit(1))
