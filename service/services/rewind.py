"""退回 and 撤回 (issue 11): sending a case back to an earlier step, and taking back one's own step
while nobody has yet opened or acted on what it led to. Each public function is one transaction.

Both reopen a completed step in the workflow (ProcessRunner.reopen): what came after it is dropped
and cancelled in the inbox, and the step opens again as a new inbox row, held by the person who did
it before. Neither runs a clock action again, nor touches a case deadline: the case's clock keeps
running. A reopened step's own deadline starts afresh after a return, as for any task the case
sends to someone; after a withdrawal it goes on from where the withdrawn step's stood.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from workflows.engine.runner import EarlierStep, TaskNotReady
from workflows.engine.serializer import GovWorkflow
from workflows.text import reason_problem

from ..errors import ServiceError, conflict, forbidden, invalid, not_found
from ..extensions import db
from ..models import CaseEvent, Deadline, HumanTask, User
from ..models.events import EventKind
from . import clock_actions, clocks, opinions
from .cases import (
    claimed_by_other,
    lock_case_of,
    open_tasks_of_case,
    refuse_while_delegated,
    run_engine,
    task_to_act_on,
)
from .engine import clock, engine, now
from .org import can_act_on_task, can_see_task
from .progress import record_step
from .unit import event, in_transaction
from .writes import versioned_update

MAX_REASON = 2000
# What a step's own transaction writes after its task_completed line, besides the tasks it opens:
# all of it is the step's doing (a later transaction starts with some other kind or person).
CLOCK_EFFECTS: dict[str, str] = {
    EventKind.DEADLINE_STARTED: "开始了期限计时",
    EventKind.DEADLINE_STOPPED: "停止了期限计时",
    EventKind.DEADLINE_RESTARTED: "重新开始了期限计时",
    EventKind.DEADLINE_CONTINUED: "恢复了期限计时",
    EventKind.DEADLINE_EXTENDED: "延长了办理期限",
}
STEP_KINDS = {
    *CLOCK_EFFECTS,
    EventKind.APPLICANT_NOTIFIED,
    EventKind.TASK_CANCELLED,
    EventKind.TASK_CREATED,
    EventKind.COMPLETED,
}


@dataclass(frozen=True)
class ReturnTarget:
    """An earlier step a task may be sent back to: its latest round's inbox row (name, department,
    who did it, when)."""

    task_spec: str
    done: HumanTask


@dataclass(frozen=True)
class Rewound:
    """What a return or a withdrawal did: the task acted on (now cancelled or withdrawn) and the step
    opened again."""

    task: HumanTask
    reopened: HumanTask


def return_targets(user: User, task_id: int) -> list[ReturnTarget]:
    """The earlier steps this person may send the task back to, the latest first."""
    task = _to_complete(user, task_id)
    workflow = engine().runner.loads(
        task.instance.state, engine().definition(task.instance.definition), clock()
    )
    return [target for _, target in _targets(workflow, task)]


def return_task(user: User, task_id: int, to: Any, reason: Any) -> Rewound:
    """Send a case back from this task to an earlier step, with a reason."""
    return in_transaction(lambda: _return(user, task_id, to, reason))


def withdraw_task(user: User, task_id: int, reason: Any = None) -> Rewound:
    """Take back one's own completed step while nobody has opened or acted on what it led to."""
    return in_transaction(lambda: _withdraw(user, task_id, reason))


@dataclass(frozen=True)
class Offers:
    """What the task page offers a person: 退回 targets on an open task they may complete (none: no
    退回), and 撤回 on a step of their own that may still be taken back."""

    targets: list[ReturnTarget]
    withdraw: bool


def offers(user: User, task: HumanTask) -> Offers:
    """The return targets and the withdrawal this person may ask for on this task now."""
    if task.status == "done":
        return Offers([], task.completed_by_id == user.id and _why_not_withdrawn(task) is None)
    try:
        return Offers(return_targets(user, task.id), False)
    except ServiceError:  # not theirs to complete: nothing to send back
        return Offers([], False)


def note_viewed(user: User, task_id: int) -> None:
    """Someone who may act on an open task has opened it: from now on the step that made it can no
    longer be withdrawn. Nothing happens for anyone else, or after the first time."""
    task = db.session.get(HumanTask, task_id)
    if task is None or task.status != "open" or task.first_viewed_at is not None or user.is_admin:
        return
    if not can_act_on_task(user, task) or task.barred_user_id == user.id:
        return
    if _opened_by(task) == user.id:  # the one who could withdraw it, looking at what they sent on
        return
    try:
        in_transaction(lambda: versioned_update(task, first_viewed_at=now()))
    except ServiceError as err:
        # Changed meanwhile (claimed, withdrawn): that change counts already, the view need not;
        # a look at a page is never refused for it.
        if err.code != "concurrent_modification":
            raise


def _return(user: User, task_id: int, to: Any, reason: Any) -> Rewound:
    lock_case_of(task_id)
    open_rows = open_tasks_of_case(task_id)
    task = _to_complete(user, task_id)
    instance = task.instance
    parsed = engine().definition(instance.definition)
    runner = engine().runner
    workflow = runner.loads(instance.state, parsed, clock())
    chosen = next(((step, t) for step, t in _targets(workflow, task) if t.task_spec == to), None)
    errors = []
    if chosen is None:
        message = "请选择可以退回的步骤" if not to else "该步骤不能退回：只能退回到本案件已办理的前序步骤"
        errors.append(
            {"field": "to", "code": "not_a_return_target" if to else "required", "message": message}
        )
    if problem := reason_problem(reason, "退回理由", MAX_REASON):
        errors.append({"field": "reason", "code": problem[0], "message": problem[1]})
    if errors or chosen is None:
        raise invalid("；".join(e["message"] for e in errors), errors)
    step, target = chosen
    text = reason.strip()
    new_id = run_engine(lambda: runner.reopen(workflow, step.id))
    versioned_update(task, status="cancelled")
    clock_actions.task_closed(instance, parsed, task, None)
    details = {"task": task.name, "from": task.name, "to": target.done.name, "to_step": to, "reason": text}
    event(instance, user, EventKind.TASK_RETURNED, task, details)
    record_step(instance, workflow, user, [r for r in open_rows if r.id != task.id], parsed)
    reopened = _reopened(new_id, target.done.completed_by)
    # The history line is written when the transaction ends: it can still name the reopened row.
    details.update(reopened=reopened.id, assignee=reopened.assignee.name if reopened.assignee else None)
    return Rewound(task, reopened)


def _withdraw(user: User, task_id: int, reason: Any) -> Rewound:
    lock_case_of(task_id)
    # Read before the checks and held to the end: the rows the step cancels carry the versions
    # the checks saw, so a claim or a first look committed after them makes this a 409.
    open_rows = open_tasks_of_case(task_id)
    task = db.session.get(HumanTask, task_id)
    if task is None:
        raise not_found("任务", "task_not_found")
    if task.completed_by_id != user.id and not can_see_task(user, task):
        raise forbidden("您无权查看该任务", "not_task_department")
    if task.status in ("open", "cancelled"):  # done by nobody: nothing to take back
        raise conflict(_why_not_withdrawn(task) or "", "cannot_withdraw")
    if task.completed_by_id != user.id:
        raise forbidden("只有办理该步骤的人本人可以撤回", "not_completer")
    text = _reason(reason, "撤回理由", required=False)
    instance = task.instance
    parsed = engine().definition(instance.definition)
    runner = engine().runner
    workflow = runner.loads(instance.state, parsed, clock())
    refusal = _why_not_withdrawn(task, workflow)
    if refusal is not None:
        raise conflict(refusal, "cannot_withdraw")
    new_id = run_engine(lambda: runner.reopen(workflow, task.spiff_task_id))
    versioned_update(task, status="withdrawn")
    opinions.take_back_completion(task)
    details: dict[str, Any] = {"task": task.name, "reason": text}
    event(instance, user, EventKind.TASK_WITHDRAWN, task, details)
    record_step(instance, workflow, user, open_rows, parsed)
    reopened = _reopened(new_id, user)
    _carry_clock(task, reopened)
    details["reopened"] = reopened.id
    return Rewound(task, reopened)


def _to_complete(user: User, task_id: int) -> HumanTask:
    """The task, if this person may complete it now (its department and role, not held by another)."""
    task = task_to_act_on(user, task_id)
    refuse_while_delegated(task)
    if task.assignee_id is not None and task.assignee_id != user.id and not user.is_admin:
        raise claimed_by_other(task)
    return task


def _targets(workflow: GovWorkflow, task: HumanTask) -> list[tuple[EarlierStep, ReturnTarget]]:
    try:
        steps = engine().runner.earlier_steps(workflow, task.spiff_task_id)
    except TaskNotReady as err:
        raise conflict("该任务已不在待办状态", "task_not_open") from err
    if not steps:
        return []
    query = select(HumanTask).where(
        HumanTask.instance_id == task.instance_id,
        HumanTask.spiff_task_id.in_([s.id for s in steps]),
        HumanTask.status == "done",
    )
    rows = {row.spiff_task_id: row for row in db.session.scalars(query)}
    return [(s, ReturnTarget(s.spec_name, rows[s.id])) for s in steps if s.id in rows]


def _reopened(spiff_task_id: str, person: User | None) -> HumanTask:
    """The row the reopened step got, held by `person` if they may still act on it (else it waits
    in its department's queue)."""
    row = db.session.scalars(select(HumanTask).where(HumanTask.spiff_task_id == spiff_task_id)).one()
    if (
        person is not None
        and person.active
        and row.assignee_id is None
        and row.barred_user_id != person.id
        and can_act_on_task(person, row)
    ):
        versioned_update(row, assignee=person)
    return row


def _carry_clock(withdrawn: HumanTask, reopened: HumanTask) -> None:
    """The reopened step's deadline goes on from the withdrawn one's (a withdrawal gains no time);
    the withdrawn round's clock no longer counts as met."""
    earlier = db.session.scalars(
        select(Deadline).where(Deadline.task_id == withdrawn.id).order_by(Deadline.id.desc())
    ).first()
    if earlier is None:
        return
    versioned_update(earlier, status="cancelled", on_time=None, late_by=None)
    db.session.execute(delete(Deadline).where(Deadline.task_id == reopened.id))
    going_on = clocks.continued(earlier)
    clocks.start_task_clock(reopened.instance_id, reopened.id, going_on)
    due = clocks.task_due_columns(reopened.instance, going_on)
    versioned_update(reopened, **due, escalation_level=going_on.level)


def _why_not_withdrawn(task: HumanTask, workflow: GovWorkflow | None = None) -> str | None:
    """Why this completed task cannot be taken back now, in words for the person; None if it can."""
    if task.status != "done":
        return {"withdrawn": "该步骤已撤回", "cancelled": "该任务已取消，不能撤回"}.get(
            task.status, "该任务尚未办结，无需撤回"
        )
    if task.instance.status != "running":
        return "案件已办结，不能撤回"
    step = _step_events(task)
    if step is None:
        return "找不到该步骤的办理记录，不能撤回"
    for line in step:
        if line.kind in CLOCK_EFFECTS and line.task_id == task.id:
            return f"该步骤办理时{CLOCK_EFFECTS[line.kind]}，不能撤回"
        if line.kind == EventKind.APPLICANT_NOTIFIED:
            return "该步骤办理后已告知申请人，不能撤回"
        if line.kind == EventKind.CASE_LINKED:
            return "该步骤办理时关联了其他案件，不能撤回"
        if line.kind == EventKind.TASK_CANCELLED:
            return "该步骤办理时撤销了其他待办任务，不能撤回"
    opened = [line.task_id for line in step if line.kind == EventKind.TASK_CREATED and line.task_id]
    return _opened_untouched(task, opened, workflow)


def _step_events(task: HumanTask) -> list[CaseEvent] | None:
    """The history lines the step that completed `task` wrote (its case link, its clock actions, the
    applicant's notices, the tasks it opened), or None if its completion is not in the history."""
    lines = list(
        db.session.scalars(
            select(CaseEvent).where(CaseEvent.instance_id == task.instance_id).order_by(CaseEvent.id)
        )
    )
    completed = [
        i for i, e in enumerate(lines) if e.kind == EventKind.TASK_COMPLETED and e.task_id == task.id
    ]
    if not completed:
        return None
    at = completed[-1]
    # A case link is written just before the completion (its answer names the other case).
    step = [e for e in lines[:at] if e.kind == EventKind.CASE_LINKED and e.task_id == task.id]
    for line in lines[at + 1 :]:
        if line.kind not in STEP_KINDS or line.actor_id not in (None, task.completed_by_id):
            break
        step.append(line)
    return step


def _opened_untouched(task: HumanTask, opened: list[int], workflow: GovWorkflow | None) -> str | None:
    """None if the tasks the step opened are all still open, unclaimed, unopened and untouched, and
    reopening the step would drop exactly those; else why not."""
    if not opened:
        return "该步骤办理后流程在等待其他环节，没有可收回的后续任务，不能撤回"
    rows = list(db.session.scalars(select(HumanTask).where(HumanTask.id.in_(opened))))
    acted = set(
        db.session.scalars(
            select(CaseEvent.task_id).where(
                CaseEvent.task_id.in_(opened),
                CaseEvent.actor_id.is_not(None),
                CaseEvent.kind != EventKind.TASK_CREATED,
            )
        )
    )
    for row in rows:
        if row.status != "open":
            done = "已办理" if row.status == "done" else "已不在待办（已取消或退回）"
            return f"后续步骤“{row.name}”{done}，不能撤回"
        if row.id in acted:
            return f"后续步骤“{row.name}”已有人处理（签收、委派、催办等），不能撤回"
        if row.first_viewed_at is not None:
            return f"后续步骤“{row.name}”的办理人已查看，不能撤回"
    if workflow is None:
        parsed = engine().definition(task.instance.definition)
        workflow = engine().runner.loads(task.instance.state, parsed, clock())
    try:
        following = engine().runner.following(workflow, task.spiff_task_id)
    except TaskNotReady:
        return "流程已发生变化，不能撤回"
    if following.moved_on or following.ready != {row.spiff_task_id for row in rows}:
        return "该步骤办理后流程已与其他环节汇合，不能撤回"
    return None


def _opened_by(task: HumanTask) -> int | None:
    """Who did the step that put this task in an inbox (None: the system, or the case's start)."""
    query = select(CaseEvent.actor_id).where(
        CaseEvent.task_id == task.id, CaseEvent.kind == EventKind.TASK_CREATED
    )
    return db.session.scalars(query.limit(1)).first()


def _reason(reason: Any, label: str, *, required: bool) -> str:
    """A reason as it will be stored ("" for an optional one left out), or a 422 naming `reason`."""
    problem = reason_problem(reason, label, MAX_REASON, required=required)
    if problem is not None:
        code, message = problem
        raise invalid(message, [{"field": "reason", "code": code, "message": message}])
    return reason.strip() if isinstance(reason, str) else ""
