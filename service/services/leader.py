"""领导督办 (issue 11): what waits for a leader's signature, and what is overdue or escalated in the
departments they oversee, by department. Read-only; the rows are the inbox's (inbox.rows), so a
deadline reads the same words everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select

from ..errors import forbidden
from ..extensions import db
from ..models import Department, HumanTask, User
from .engine import now
from .inbox import Row, rows
from .org import acts_for_clause, is_leader

# A leader's lists are short; these bound a page that would otherwise grow with the backlog.
WAITING_LIMIT = 100
LATE_LIMIT = 200


@dataclass(frozen=True)
class DepartmentLate:
    """One overseen department's overdue and escalated open tasks (counts of all, rows up to the limit)."""

    department: Department
    overdue: int
    escalated: int
    total: int
    rows: list[Row]


@dataclass(frozen=True)
class Overview:
    waiting: list[Row]  # 待我签批, soonest deadline first
    waiting_total: int
    departments: list[DepartmentLate]  # 督办, in the departments' display order


def overview(user: User) -> Overview:
    """Both lists of the leader pages; anyone who is no leader is refused (403 not_leader)."""
    if not is_leader(user):
        raise forbidden("领导督办页面仅供分管领导和主要领导使用", "not_leader")
    waiting, waiting_total = _waiting(user)
    return Overview(rows(waiting), waiting_total, _late_by_department(user))


def _by_deadline(query):
    return query.order_by(HumanTask.due_at.asc().nulls_last(), HumanTask.created_at.asc(), HumanTask.id.asc())


def _waiting(user: User) -> tuple[list[HumanTask], int]:
    """Open tasks held by this leader, or theirs to act on and held by nobody."""
    mine = or_(HumanTask.assignee_id == user.id, and_(acts_for_clause(user), HumanTask.assignee_id.is_(None)))
    query = select(HumanTask).where(HumanTask.status == "open", mine)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return list(db.session.scalars(_by_deadline(query).limit(WAITING_LIMIT))), total


def _late_by_department(user: User) -> list[DepartmentLate]:
    overseen = sorted((o.department for o in user.oversights), key=lambda d: d.sort_order)
    if not overseen:
        return []
    at = now()
    overdue = HumanTask.due_at <= at
    escalated = HumanTask.escalation_level > 0
    late = and_(
        HumanTask.status == "open",
        HumanTask.department_id.in_([d.id for d in overseen]),
        or_(overdue, escalated),
    )

    def tally(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    counts = {
        department_id: (int(o), int(e), int(n))
        for department_id, o, e, n in db.session.execute(
            select(HumanTask.department_id, tally(overdue), tally(escalated), func.count())
            .where(late)
            .group_by(HumanTask.department_id)
        )
    }
    listed = rows(list(db.session.scalars(_by_deadline(select(HumanTask).where(late)).limit(LATE_LIMIT))))
    return [
        DepartmentLate(
            d,
            *counts.get(d.id, (0, 0, 0)),
            [r for r in listed if r.task.department_id == d.id],
        )
        for d in overseen
    ]
