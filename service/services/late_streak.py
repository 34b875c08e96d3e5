"""STAT-2: a run of late submissions asks the department's principal leader to explain (a task).

A submission is a publishing case of a department (its owning department) whose publishing clock
closed as met: on time or late (PUB-13). Where the profile sets a `late_streak` (xingning: 3 in a
row, 002 §40) and a department's latest so many submissions were all late, all closed after its last
request to explain, the sweep opens a `late_explanation` case: the department's principal leader
explains where the department has one, else its section head, and the office reviews. Only the past
year's submissions are read: the query stays small, and a run spread over more than a year is not
"in a row".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from workflows.assignment import Role
from workflows.periods import Unit
from workflows.profiles import LateStreak, Profile
from workflows.statistics import late_run

from ..extensions import db
from ..models import Deadline, Department, Membership, ProcessDefinition, ProcessInstance, ScheduledCase, User
from . import scheduled
from .engine import now

SOURCE = "late_streak"
PROCESS = "late_explanation"
LOOK_BACK = timedelta(days=366)


@scheduled.producer(SOURCE)
def late_runs(today: date, profile: Profile) -> list[scheduled.Opening]:
    """One request to explain for each department whose latest submissions make a late run."""
    streak = profile.late_streak
    if streak is None:
        return []
    latest = _latest_submissions(streak.count)
    asked = _last_asked()
    runs = {
        department_id: rows
        for department_id, rows in latest.items()
        if late_run(_closed(rows), streak.count, asked.get(department_id))
    }
    if not runs:
        return []
    departments = {d.id: d for d in db.session.scalars(select(Department).where(Department.id.in_(runs)))}
    led = _with_principal_leader(set(runs))
    return [_opening(departments[key], rows, key in led, streak) for key, rows in runs.items()]


def _latest_submissions(count: int) -> dict[int, list[Any]]:
    """Each department's `count` latest closed publishing clocks of the past year, newest first."""
    rank = (
        func.row_number()
        .over(
            partition_by=ProcessInstance.owning_department_id,
            order_by=(Deadline.closed_at.desc(), Deadline.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(
            ProcessInstance.owning_department_id.label("department_id"),
            ProcessInstance.id.label("instance_id"),
            Deadline.closed_at,
            Deadline.on_time,
            Deadline.late_by,
            Deadline.unit,
            Deadline.due_on,
            rank,
        )
        .join(Deadline, Deadline.instance_id == ProcessInstance.id)
        .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
        .where(
            ProcessDefinition.key == "publishing",
            ProcessInstance.owning_department_id.is_not(None),
            Deadline.task_id.is_(None),
            Deadline.name.like("publishing.%"),
            Deadline.status == "met",
            Deadline.closed_at >= now() - LOOK_BACK,
        )
        .subquery()
    )
    found: dict[int, list[Any]] = defaultdict(list)
    query = select(ranked).where(ranked.c.rank <= count).order_by(ranked.c.department_id, ranked.c.rank)
    for row in db.session.execute(query):
        found[row.department_id].append(row)
    return found


def _closed(rows: list[Any]) -> list[tuple[datetime, bool]]:
    return [(row.closed_at, bool(row.on_time)) for row in rows]


def _last_asked() -> dict[int, datetime]:
    """When each department was last asked to explain."""
    query = (
        select(ProcessInstance.owning_department_id, func.max(ScheduledCase.opened_at))
        .join(ScheduledCase, ScheduledCase.instance_id == ProcessInstance.id)
        .where(ScheduledCase.source == SOURCE)
        .group_by(ProcessInstance.owning_department_id)
    )
    return {department_id: at for department_id, at in db.session.execute(query) if department_id is not None}


def _with_principal_leader(department_ids: set[int]) -> set[int]:
    """The departments among these with an active member who is their principal leader."""
    query = (
        select(Membership.department_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.department_id.in_(department_ids),
            Membership.role == Role.PRINCIPAL_LEADER.value,
            User.active.is_(True),
        )
    )
    return set(db.session.scalars(query))


def _opening(
    department: Department, rows: list[Any], has_leader: bool, streak: LateStreak
) -> scheduled.Opening:
    newest = rows[0]
    return scheduled.Opening(
        source=SOURCE,
        occurrence=f"{department.code}:{newest.instance_id}",
        process=PROCESS,
        reason=f"{department.name}报送信息连续{streak.count}次不及时（{streak.rule}，{streak.source}）",
        values={
            "owning_department": department.code,
            "late_department": department.code,
            "explainer": "principal_leader" if has_leader else "section_head",
            "late_summary": _summary(rows),
            "late_cases": [row.instance_id for row in rows],
        },
    )


def _summary(rows: list[Any]) -> str:
    """One line per late submission, oldest first: its number, title, due day and how late."""
    cases = {
        case.id: case
        for case in db.session.scalars(
            select(ProcessInstance).where(ProcessInstance.id.in_([row.instance_id for row in rows]))
        )
    }
    lines = []
    for row in reversed(rows):
        case = cases[row.instance_id]
        title = (case.data or {}).get("title") or "（无标题）"
        lines.append(
            f"{case.tracking_number or case.id}《{title}》：应于{row.due_on.isoformat()}前发布，"
            f"迟{row.late_by}{Unit(row.unit).label}"
        )
    return "\n".join(lines)
