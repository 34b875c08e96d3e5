"""Acting on deadlines as they come: remind before (催办), raise after (督办), each exactly once (ESC-1).

Level 1 goes to the section head of the department holding the work, level 2 to the leader in
charge of it, level 3 (where a profile has one) to the principal leader.
"""

from __future__ import annotations

from datetime import datetime

from workflows.assignment import Role

from ..extensions import db
from ..models import Deadline, HumanTask, ProcessInstance, User
from ..models.events import EventKind
from .calendar import current_calendar
from .cases import lock_case
from .clocks import mirror_level
from .engine import clock_at, now
from .notify import notify, people_of
from .unit import event, in_transaction
from .writes import versioned_update

LEVEL_ROLES = {1: Role.SECTION_HEAD, 2: Role.LEADER_IN_CHARGE, 3: Role.PRINCIPAL_LEADER}


def act_on_deadline(deadline_id: int, moment: datetime | None = None) -> list[str]:
    """Send whatever reminder or escalations are due on one clock; returns what was done."""
    with clock_at(moment):
        return in_transaction(lambda: _act(deadline_id))


def _act(deadline_id: int) -> list[str]:
    at = now()
    found = db.session.get(Deadline, deadline_id)
    if found is None:
        return []
    # The case first, as a step takes it (case, then its task, then the clock): taking the clock
    # first while a completion held the task and waited for the clock was a deadlock.
    lock_case(found.instance_id)
    # FOR UPDATE: a second worker on the same clock waits, then finds the work already done.
    clock = db.session.get(Deadline, deadline_id, with_for_update=True, populate_existing=True)
    if (
        clock is None
        or clock.status != "running"
        or clock.next_action_at is None
        or clock.next_action_at > at
    ):
        return []
    instance = db.session.get(ProcessInstance, clock.instance_id)
    assert instance is not None  # a clock's case is never deleted while the clock runs
    task = db.session.get(HumanTask, clock.task_id) if clock.task_id else None
    done: list[str] = []
    level_before = clock.level
    reminded_at = clock.reminded_at
    if reminded_at is None and clock.remind_at is not None and clock.remind_at <= at:
        if clock.due_at is not None and at < clock.due_at:  # a late sweep escalates instead
            _remind(clock, instance, task)
            done.append(EventKind.REMINDED)
        reminded_at = at
    marks = [datetime.fromisoformat(m) for m in clock.escalate_at]
    level = max(clock.level, sum(1 for m in marks if m <= at))
    for raised in range(clock.level + 1, level + 1):
        _escalate(clock, instance, task, raised)
        done.append(f"escalated:{raised}")
    pending = marks[level:] + ([clock.remind_at] if reminded_at is None and clock.remind_at else [])
    versioned_update(clock, reminded_at=reminded_at, level=level, next_action_at=min(pending, default=None))
    if task is not None and level != task.escalation_level:
        versioned_update(task, escalation_level=level)
    elif task is None and level != level_before:
        mirror_level(instance.id, level)
    return done


def _what(clock: Deadline, instance: ProcessInstance, task: HumanTask | None) -> tuple[str, str]:
    subject = f"“{task.name}”" if task else f"案件{clock.label}"
    # "2026-12-18 24:00" says which day it is; "2026-12-19 00:00" would read as a day too late.
    due = f"{clock.due_on.isoformat()} {current_calendar().close_hour}:00" if clock.due_on else "—"
    return f"{subject}（{instance.tracking_number}）", due


def _holders(instance: ProcessInstance, task: HumanTask | None) -> list[User]:
    if task is not None:
        if task.assignee is not None:
            return [task.assignee]
        return people_of(task.department_id, task.role)
    if instance.owning_department_id is None:
        return []
    return people_of(instance.owning_department_id, Role.SECTION_HEAD)


def _remind(clock: Deadline, instance: ProcessInstance, task: HumanTask | None) -> None:
    what, due = _what(clock, instance, task)
    people = _holders(instance, task)
    title = f"催办：{what}将于 {due} 到期"
    body = f"{clock.label}将于 {due} 届满，请抓紧办理。"
    notify(
        people,
        f"deadline:{clock.id}:remind",
        "reminder",
        title,
        body,
        instance_id=instance.id,
        task_id=clock.task_id,
    )
    details = {
        "deadline": clock.name,
        "label": clock.label,
        "due_at": clock.due_at.isoformat() if clock.due_at else None,
    }
    event(instance, None, EventKind.REMINDED, clock.task_id, {**details, "to": [p.name for p in people]})


def _escalate(clock: Deadline, instance: ProcessInstance, task: HumanTask | None, level: int) -> None:
    what, due = _what(clock, instance, task)
    department_id = task.department_id if task else instance.owning_department_id
    role = LEVEL_ROLES.get(level, Role.PRINCIPAL_LEADER)
    people = people_of(department_id, role) if department_id is not None else []
    title = f"督办（{level}级）：{what}已超过办理期限 {due}"
    body = f"{clock.label}已于 {due} 届满，仍未办结，请督促办理。"
    key = f"deadline:{clock.id}:escalate:{level}"
    notify(people, key, "escalation", title, body, instance_id=instance.id, task_id=clock.task_id)
    details = {"deadline": clock.name, "label": clock.label, "level": level, "role": role.value}
    event(instance, None, EventKind.ESCALATED, clock.task_id, {**details, "to": [p.name for p in people]})
