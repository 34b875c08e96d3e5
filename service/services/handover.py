"""A leaver hands over (ORG-2, ORG-6): deactivating a person returns what they hold, in one
transaction with its history lines and one audit entry; reactivating gives them a fresh password.

What happens to each open task the person holds:
- claimed by them (not delegated): back to its department's queue (nobody has it claimed);
- delegated to them: the delegation ends and the task is its delegator's again; a draft goes;
- claimed by them and delegated to a colleague: the colleague is doing the work, so the delegation
  ends and the colleague holds the task if they may act on it (its department and role), else it
  goes to the department's queue. Either way the department can act on it without the leaver.
Their API tokens are revoked; their sessions end because an inactive account loads no session
(service.auth), and stay ended after reactivation because the password changes then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import selectinload

from workflows.assignment import Role

from ..errors import conflict
from ..extensions import db
from ..models import ApiToken, HumanTask, LoginFailure, Membership, Oversight, User
from ..models.events import EventKind
from . import audit
from .accounts import set_password, temporary_password, user_named
from .audit import AuditKind
from .engine import now
from .notify import notify
from .org import acts_for
from .organisation import require_admin
from .unit import event, in_transaction, rehearse
from .writes import versioned_update

REASON = "人员停用"


@dataclass(frozen=True)
class Handover:
    """What deactivating a person does (or did): how many of each."""

    returned: int  # claimed tasks back to their department's queue
    recalled: int  # tasks delegated to them, back to their delegators
    passed_on: int  # tasks they delegated, now held by the delegate
    tokens: int  # API tokens revoked
    unstaffed: tuple[str, ...] = ()  # posts nobody else active holds once they leave, e.g. 规划处·信息员

    @property
    def summary(self) -> str:
        words = f"将退回{self.returned}个在办任务、收回{self.recalled}个委派"
        if self.passed_on:
            words += f"、{self.passed_on}个其委派出的任务改由受委派人办理"
        return words + f"，撤销{self.tokens}个访问令牌"

    def as_dict(self) -> dict[str, Any]:
        return {
            "tasks_returned": self.returned,
            "delegations_recalled": self.recalled,
            "delegations_passed_on": self.passed_on,
            "tokens_revoked": self.tokens,
            "left_unstaffed": list(self.unstaffed),
        }


@dataclass(frozen=True)
class Holdings:
    """What a person holds now: open tasks claimed, delegated to them, delegated by them."""

    claimed: list[HumanTask]
    delegated_to: list[HumanTask]
    delegated_by: list[HumanTask]


def holdings(user: User) -> Holdings:
    query = (
        select(HumanTask)
        .where(HumanTask.status == "open")
        .where(or_(HumanTask.assignee_id == user.id, HumanTask.delegate_id == user.id))
        .options(selectinload(HumanTask.delegate))
        .order_by(HumanTask.id)
    )
    tasks = list(db.session.scalars(query).unique())
    mine = [t for t in tasks if t.assignee_id == user.id]
    return Holdings(
        [t for t in mine if t.delegate_id is None],
        [t for t in tasks if t.delegate_id == user.id],
        [t for t in mine if t.delegate_id is not None],
    )


def deactivate(actor: User, username: str, *, dry_run: bool = False) -> Handover:
    """Deactivate a person and hand over what they hold; a dry run says what it would do."""
    return (rehearse if dry_run else in_transaction)(lambda: _deactivate(actor, username))


def reactivate(actor: User, username: str) -> str:
    """Let a deactivated person log in again, with a temporary password (returned once) to change
    at the next log-in; what they held before stays with whoever has it now."""

    def work() -> str:
        require_admin(actor)
        user = user_named(username)
        if user.active:
            raise conflict(f"{user.name}的账号未停用", "user_active")
        temporary = temporary_password(user)
        set_password(user, temporary, must_change=True)
        user.active = True
        db.session.execute(delete(LoginFailure).where(LoginFailure.username == user.username.casefold()))
        summary = f"恢复人员“{user.name}”（{username}）的账号"
        audit.record(
            actor,
            AuditKind.PERSON_REACTIVATED,
            "user",
            username,
            summary,
            before={"active": False},
            after={"active": True},
        )
        return temporary

    return in_transaction(work)


def _deactivate(actor: User, username: str) -> Handover:
    require_admin(actor)
    user = user_named(username)
    if user.id == actor.id:
        raise conflict("不能停用自己的账号", "cannot_deactivate_self")
    if not user.active:
        raise conflict(f"{user.name}的账号已停用", "user_inactive")
    held = holdings(user)
    unstaffed = left_unstaffed(user)
    for task in held.claimed:
        _to_queue(actor, task, f"{user.name}签收的任务退回{task.department.name}待签收")
    for task in held.delegated_to:
        _recall(actor, task, user)
    for task in held.delegated_by:
        _pass_on(actor, task, user)
    tokens = list(
        db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    )
    for token in tokens:
        token.revoked_at = now()
    user.active = False  # every session of theirs ends with it (service.auth)
    done = Handover(len(held.claimed), len(held.delegated_to), len(held.delegated_by), len(tokens), unstaffed)
    summary = f"停用人员“{user.name}”（{username}）：" + done.summary.removeprefix("将")
    audit.record(
        actor,
        AuditKind.PERSON_DEACTIVATED,
        "user",
        username,
        summary,
        before={"active": True},
        after={"active": False, **done.as_dict()},
    )
    return done


def left_unstaffed(user: User) -> tuple[str, ...]:
    """The posts (a role in a department, a department's leader in charge) that nobody else active
    holds: once this person goes, that department's tasks for the role reach nobody, or its
    escalations no leader."""
    posts = []
    for membership in sorted(user.memberships, key=lambda m: (m.department.name, m.role)):
        others = select(Membership.id).join(User, Membership.user_id == User.id)
        others = others.where(
            Membership.department_id == membership.department_id,
            Membership.role == membership.role,
            User.active.is_(True),
            User.id != user.id,
        )
        if db.session.scalar(others.limit(1)) is None:
            role = Role.from_text(membership.role)
            posts.append(f"{membership.department.name}·{role.label if role else membership.role}")
    for oversight in sorted(user.oversights, key=lambda o: o.department.name):
        leaders = select(Oversight.id).join(User, Oversight.leader_id == User.id)
        leaders = leaders.where(
            Oversight.department_id == oversight.department_id, User.active.is_(True), User.id != user.id
        )
        if db.session.scalar(leaders.limit(1)) is None:
            posts.append(f"{oversight.department.name}的分管领导")
    return tuple(posts)


def _line(actor: User, task: HumanTask, message: str, **details: Any) -> None:
    event(
        task.instance,
        actor,
        EventKind.TASK_HANDED_BACK,
        task,
        {"task": task.name, "reason": REASON, "message": message, **details},
    )


def _to_queue(actor: User, task: HumanTask, message: str) -> None:
    versioned_update(task, assignee=None, delegate=None, delegated_at=None, draft=None)
    _line(actor, task, message)


def _recall(actor: User, task: HumanTask, leaver: User) -> None:
    delegator = task.assignee
    versioned_update(task, delegate=None, delegated_at=None, draft=None)
    back_to = delegator.name if delegator else task.department.name
    _line(actor, task, f"{leaver.name}受委派的任务交回{back_to}")
    title = f"{leaver.name}已停用，委派其办理的“{task.name}”（{task.instance.tracking_number}）已交回您"
    _tell([delegator] if delegator else [], task, title)


def _pass_on(actor: User, task: HumanTask, leaver: User) -> None:
    delegate = task.delegate
    may_hold = delegate is not None and delegate.active and acts_for(delegate, task.department_id, task.role)
    if not may_hold or delegate is None or delegate.id == task.barred_user_id:
        _to_queue(actor, task, f"{leaver.name}委派出的任务退回{task.department.name}待签收")
        return
    versioned_update(task, assignee=delegate, delegate=None, delegated_at=None)
    _line(actor, task, f"{leaver.name}委派出的任务改由{delegate.name}签收办理")
    title = (
        f"{leaver.name}已停用，其委派您办理的“{task.name}”（{task.instance.tracking_number}）改由您签收办理"
    )
    _tell([delegate], task, title)


def _tell(people: list[User], task: HumanTask, title: str) -> None:
    key = f"task:{task.id}:v{task.version}:handed_back"
    notify(
        people,
        key,
        "delegation",
        title,
        "请在待办中继续办理。",
        instance_id=task.instance_id,
        task_id=task.id,
    )
