"""审批意见 (issue 11): the opinions given on a case, each a row of its own — at which step, in which
department, by whom, when, the verdict and the words.

A completion writes its step's opinion (read from the answer by workflows.opinions) in the same
transaction; other operations with a reason (转办 now, 退回 and 委派 later) call `record_opinion`
within theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from workflows.engine.parser import ParsedDefinition
from workflows.opinions import shortened, step_opinion

from ..extensions import db
from ..models import HumanTask, Opinion, OpinionKind, ProcessInstance, User
from .engine import now
from .queries import instance_and_tasks_for_viewer
from .writes import insert_rows

# What each kind of opinion is, in the words people read (every kind has its words).
KIND_LABELS: dict[str, str] = {
    OpinionKind.APPROVAL: "审批意见",
    OpinionKind.TRANSFER: "转办理由",
}


def record_opinion(
    instance: ProcessInstance,
    task: HumanTask | None,
    user: User | None,
    text: str,
    verdict: str | None = None,
    kind: OpinionKind = OpinionKind.APPROVAL,
    at: datetime | None = None,
) -> None:
    """Write one opinion within the caller's transaction: the step's name and department as they are now.

    The caller has checked the words (required, storable); an opinion says something, so one with
    neither words nor a verdict is a programming error.
    """
    insert_rows(Opinion, [opinion_row(instance.id, task, user, text, verdict, kind, at or now())])


def opinion_row(
    instance_id: int,
    task: HumanTask | None,
    user: User | None,
    text: str,
    verdict: str | None,
    kind: OpinionKind,
    at: datetime,
    **was: Any,
) -> dict[str, Any]:
    """The row of one opinion; `was` names the step or department as they were when it was given
    (`step`, `department_id`), when they are not the task's now."""
    text = (text or "").strip()
    if not text and not verdict:
        raise ValueError("an opinion needs words or a verdict")
    row: dict[str, Any] = {
        "instance_id": instance_id,
        "task_id": task.id if task else None,
        "step": task.name if task else "",
        "task_spec": task.task_spec if task else None,
        "department_id": task.department_id if task else None,
        "author_id": user.id if user else None,
        "at": at,
        "text": text,
        "verdict": shortened(verdict) if verdict else None,
        "kind": kind,
    }
    return row | was


def record_completion(
    instance: ProcessInstance,
    parsed: ParsedDefinition,
    task: HumanTask,
    user: User | None,
    answer: dict[str, Any],
) -> None:
    """The opinion a completed step's answer gives, if its form asks for one (cases._complete)."""
    found = step_opinion(parsed.form_for(task.task_spec), answer, task.task_spec in parsed.approves)
    if found is not None:
        record_opinion(instance, task, user, found.text, found.verdict)


def take_back_completion(task: HumanTask) -> None:
    """撤回: the opinion a withdrawn completion gave is no longer given (its history line stays); the
    step's redo gives its own. A transfer's reason stays: the transfer happened."""
    db.session.execute(
        delete(Opinion).where(Opinion.task_id == task.id, Opinion.kind == OpinionKind.APPROVAL)
    )


def opinions_of_case(instance_id: int) -> list[Opinion]:
    """A case's opinions in the order they were given."""
    query = select(Opinion).where(Opinion.instance_id == instance_id).order_by(Opinion.at, Opinion.id)
    return list(db.session.scalars(query))


def case_opinions(user: User, instance_id: int) -> list[Opinion]:
    """A case's opinions, for whoever may see the case (403 / 404 as the case itself)."""
    instance, _ = instance_and_tasks_for_viewer(user, instance_id)
    return opinions_of_case(instance.id)


@dataclass(frozen=True)
class ProcessLine:
    """One line of 办理过程与审批意见: a finished step with its opinion, or an opinion given otherwise."""

    step: str
    department: str
    person: str
    at: datetime
    verdict: str
    text: str
    kind: str  # an OpinionKind; "approval" also for a finished step that gave no opinion
    kind_label: str


def process_lines(task: HumanTask, said: list[Opinion]) -> list[ProcessLine]:
    """The case's finished steps and its opinions, the earliest first (a tie: an operation's reason
    before the step finished at the same moment)."""
    query = select(HumanTask).where(HumanTask.instance_id == task.instance_id, HumanTask.status == "done")
    done = list(db.session.scalars(query))
    given = {o.task_id: o for o in said if o.kind == OpinionKind.APPROVAL and o.task_id is not None}
    keyed: list[tuple[datetime, int, int, ProcessLine]] = []
    for step in done:
        at = step.completed_at or step.created_at
        keyed.append((at, 1, step.id, _step_line(step, at, given.pop(step.id, None))))
    for o in said:
        if o.kind != OpinionKind.APPROVAL or o.task_id in given:
            keyed.append((o.at, 0, o.id, opinion_line(o)))
    return [line for *_, line in sorted(keyed, key=lambda k: k[:3])]


def _step_line(step: HumanTask, at: datetime, opinion: Opinion | None) -> ProcessLine:
    if opinion is not None:
        return opinion_line(opinion)
    person = step.completed_by.name if step.completed_by else ""
    return ProcessLine(step.name, step.department.name, person, at, "", "", OpinionKind.APPROVAL, "")


def opinion_line(o: Opinion) -> ProcessLine:
    """An opinion as a line of 办理过程与审批意见 or of the case page's 审批意见."""
    return ProcessLine(
        step=o.step,
        department=o.department.name if o.department else "",
        person=o.author.name if o.author else "系统",
        at=o.at,
        verdict=o.verdict or "",
        text=o.text,
        kind=o.kind,
        kind_label=KIND_LABELS.get(o.kind, o.kind) if o.kind != OpinionKind.APPROVAL else "",
    )
