"""委派: the holder of a task hands it to a colleague of its department, who works on it and hands
back a draft answer; the holder then decides and completes it (issue 11).

The task stays the holder's throughout: its assignee, deadline and statistics do not change. While
it is delegated nobody claims, releases, transfers or completes it (cases.refuse_while_delegated).
Each public function is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..errors import conflict, forbidden, invalid
from ..extensions import db
from ..models import CaseEvent, HumanTask, Membership, User
from ..models.events import EventKind
from .cases import claimed_by_other, refuse_while_delegated, task_to_act_on, validated
from .engine import engine, now
from .notify import notify
from .org import can_act_on_task
from .queries import task_for_viewer
from .remarks import optional_text
from .unit import event, in_transaction
from .writes import versioned_update

REASON_LIMIT = 500
NOTE_LIMIT = 500


@dataclass(frozen=True)
class Draft:
    """What a delegate handed back: a draft answer to the task's form, with a note."""

    data: dict[str, Any]
    note: str
    by: User | None
    at: datetime | None


@dataclass(frozen=True)
class DelegationView:
    """What a task's page shows and offers one person about delegation (the use cases' rules)."""

    delegate: User | None  # while delegated
    since: datetime | None
    reason: str
    draft: Draft | None  # handed back, for the holder to decide on
    candidates: list[User]  # whom this person may delegate to now; empty: no 委派 form
    may_resolve: bool
    may_take_back: bool


def delegate_task(user: User, task_id: int, to: Any, reason: Any = None) -> HumanTask:
    """Hand one's task to a colleague of its department (an unclaimed task is claimed by the act)."""
    return in_transaction(lambda: _delegate(user, task_id, to, reason))


def resolve_task(user: User, task_id: int, data: Any, note: Any = None) -> HumanTask:
    """The delegate hands the task back with a draft answer, validated as a completion would be."""
    return in_transaction(lambda: _resolve(user, task_id, data, note))


def take_back_task(user: User, task_id: int) -> HumanTask:
    """The delegator (or an administrator) ends the delegation before the delegate hands it back."""
    return in_transaction(lambda: _take_back(user, task_id))


def eligible_delegates(task: HumanTask, user: User) -> list[User]:
    """Who this person may hand the task to: active members of its department, neither themselves
    nor the person whose work it approves (four eyes). An administrator-only account has no department."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.department_id == task.department_id, User.active.is_(True), User.id != user.id)
        .order_by(User.id)
    )
    if task.barred_user_id is not None:
        query = query.where(User.id != task.barred_user_id)
    return list(db.session.scalars(query).unique())


def page_view(user: User, task: HumanTask) -> DelegationView:
    """Delegation on the task's page: its state, and what this person may do about it now."""
    if task.delegated:
        may_take_back = task.assignee_id == user.id or user.is_admin
        reason = delegation_reason(task)
        return DelegationView(
            task.delegate, task.delegated_at, reason, None, [], task.delegate_id == user.id, may_take_back
        )
    if task.status != "open":
        return DelegationView(None, None, "", None, [], False, False)
    holds = (
        can_act_on_task(user, task) and task.barred_user_id != user.id and task.assignee_id in (None, user.id)
    )
    candidates = eligible_delegates(task, user) if holds else []
    return DelegationView(None, None, "", draft_of(task), candidates, False, False)


def draft_of(task: HumanTask) -> Draft | None:
    """The draft answer the last delegate handed back, if any (it prefills the holder's form)."""
    if not task.draft:
        return None
    by = db.session.get(User, task.draft["by"]) if task.draft.get("by") else None
    at = datetime.fromisoformat(task.draft["at"]) if task.draft.get("at") else None
    return Draft(dict(task.draft.get("data") or {}), str(task.draft.get("note") or ""), by, at)


def delegation_reason(task: HumanTask) -> str:
    """Why the task was handed to its current delegate (the reason given when delegating)."""
    query = (
        select(CaseEvent.details)
        .where(CaseEvent.task_id == task.id, CaseEvent.kind == EventKind.TASK_DELEGATED)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    details = db.session.scalar(query) or {}
    return str(details.get("reason") or "")


def _delegate(user: User, task_id: int, to: Any, reason: Any) -> HumanTask:
    task = task_to_act_on(user, task_id)
    refuse_while_delegated(task)
    if task.assignee_id is not None and task.assignee_id != user.id:
        raise claimed_by_other(task)
    reason = optional_text(reason, "reason", "委派说明", REASON_LIMIT)
    delegate = _chosen(task, user, to)
    changes: dict[str, Any] = {"delegate": delegate, "delegated_at": now()}
    if task.assignee_id is None:
        changes["assignee"] = user
        event(task.instance, user, EventKind.TASK_CLAIMED, task, {"task": task.name})
    versioned_update(task, **changes)
    details = {"task": task.name, "delegate": delegate.name, "reason": reason}
    event(task.instance, user, EventKind.TASK_DELEGATED, task, details)
    title = f"委派：{user.name}委派您办理“{task.name}”（{task.instance.tracking_number}）"
    body = f"委派说明：{reason}" if reason else "请办理后交回委派人，由其审定办结。"
    _tell([delegate], task, "delegated", title, body)
    return task


def _chosen(task: HumanTask, user: User, to: Any) -> User:
    """The colleague named by username, if they may take the task; otherwise a 422 naming `to`."""
    if not isinstance(to, str) or not to.strip():
        raise _bad_choice("required", "请选择受委派人")
    found = next((p for p in eligible_delegates(task, user) if p.username == to.strip()), None)
    if found is not None:
        return found
    named = db.session.scalar(select(User).where(User.username == to.strip()))
    if named is not None and named.id == user.id:
        raise _bad_choice("not_eligible", "不能委派给自己")
    if named is not None and named.id == task.barred_user_id:
        raise _bad_choice("not_eligible", f"该任务审核的是{named.name}本人办理的工作，不能委派给其办理")
    raise _bad_choice("not_eligible", f"只能委派给{task.department.name}的在职人员")


def _bad_choice(code: str, message: str):
    return invalid(message, [{"field": "to", "code": code, "message": message}])


def _resolve(user: User, task_id: int, data: Any, note: Any) -> HumanTask:
    task = _delegated_task(user, task_id)
    if task.delegate_id != user.id:
        raise forbidden("只有受委派人可以交回该任务", "not_delegate")
    note = optional_text(note, "note", "交回说明", NOTE_LIMIT)
    instance = task.instance
    form = engine().profile.offered(engine().definition(instance.definition).form_for(task.task_spec))
    values = validated(form, data, instance.data if form.needs_case_data() else None)
    draft = {"data": values, "note": note, "by": user.id, "at": now().isoformat()}
    versioned_update(task, delegate=None, delegated_at=None, draft=draft)
    delegator = task.assignee
    details = {"task": task.name, "note": note, "delegator": delegator.name if delegator else None}
    event(instance, user, EventKind.TASK_RESOLVED, task, {**details, "data": values})
    title = f"{user.name}已办理完毕交回“{task.name}”（{instance.tracking_number}）"
    _tell([delegator] if delegator else [], task, "resolved", title, note or "请审定后办结。")
    return task


def _take_back(user: User, task_id: int) -> HumanTask:
    task = _delegated_task(user, task_id)
    if task.assignee_id != user.id and not user.is_admin:
        raise forbidden("只有委派人可以收回委派", "not_delegator")
    delegate = task.delegate
    versioned_update(task, delegate=None, delegated_at=None)
    details = {"task": task.name, "delegate": delegate.name if delegate else None}
    event(task.instance, user, EventKind.DELEGATION_TAKEN_BACK, task, details)
    title = f"{user.name}已收回委派的“{task.name}”（{task.instance.tracking_number}）"
    _tell([delegate] if delegate else [], task, "taken_back", title, "您无需再办理该任务。")
    return task


def _delegated_task(user: User, task_id: int) -> HumanTask:
    """An open task under delegation that this person may see (as its delegate or its department)."""
    task, _ = task_for_viewer(user, task_id)
    if task.status != "open":
        raise conflict("该任务已不在待办状态", "task_not_open")
    if not task.delegated:
        raise conflict("该任务没有委派给他人", "task_not_delegated")
    return task


def _tell(people: list[User], task: HumanTask, what: str, title: str, body: str) -> None:
    # The version after this act's write names the act: each delegation, return or take-back once.
    key = f"task:{task.id}:v{task.version}:{what}"
    notify(people, key, "delegation", title, body, instance_id=task.instance_id, task_id=task.id)
