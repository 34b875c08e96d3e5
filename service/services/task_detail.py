"""One task as the person doing it needs it: its form, the case's data, the opinions given so far
(and, on a task of a parallel approval, who has signed), and, when the step is redone after a
return, who sent it back and why, with the earlier answer to start from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from workflows.assignment import DRAFTING_DEPARTMENT
from workflows.engine.parser import ParsedDefinition
from workflows.forms import Form, FormField
from workflows.opinions import readable
from workflows.screening import summary_words

from ..extensions import db
from ..models import CaseEvent, HumanTask, Opinion, User
from ..models.events import EventKind
from .countersign import Countersign, countersign_of
from .engine import engine
from .opinions import opinions_of_case
from .org import departments
from .queries import task_for_viewer


@dataclass(frozen=True)
class Answer:
    """A finished task and what it answered, each field with its label and readable text."""

    task: HumanTask
    fields: list[dict[str, Any]]  # [{field, label, value, text}] in the form's order


@dataclass(frozen=True)
class Reopened:
    """How a step came to be open again by a 退回 or a 撤回: who, from which step, when and why."""

    kind: str  # task_returned | task_withdrawn
    by: User | None
    from_task: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class TaskDetail:
    task: HumanTask
    form: Form
    case_data: dict[str, Any]
    earlier: dict[str, Any] | None  # this step's answer last time, when it is being redone
    returned_by: Answer | None  # the step that sent the case back here (its answer says why)
    opinions: list[Opinion]  # the case's opinions so far, in order (审批意见)
    countersign: Countersign | None  # the round of the parallel approval this task is part of
    reopened: Reopened | None = None  # or the 退回 / 撤回 that opened it again


def task_detail(user: User, task_id: int) -> TaskDetail:
    """A task with its form and the case data, if this person may see it; on rework, why and what before."""
    task, form = task_for_viewer(user, task_id)
    parsed = engine().definition(task.instance.definition)
    said = opinions_of_case(task.instance_id)
    signing = countersign_of(task, said)
    finished = _finished_before(task)
    answers = _answers([t.id for t in finished])
    earlier_task = next((t for t in finished if _same_step(t, task, parsed)), None)
    if earlier_task is None:
        return TaskDetail(task, form, task.instance.data, None, None, said, signing)
    earlier = answers.get(earlier_task.id, {})
    reopened = _reopened(task)
    if reopened is not None:
        return TaskDetail(task, form, task.instance.data, earlier, None, said, signing, reopened)
    returner = next(t for t in finished if t.status == "done")
    returned = Answer(returner, _labelled(parsed.form_for(returner.task_spec), answers.get(returner.id, {})))
    return TaskDetail(task, form, task.instance.data, earlier, returned, said, signing)


def _finished_before(task: HumanTask) -> list[HumanTask]:
    """The case's tasks finished (or finished, then withdrawn) by the time this one opened, latest first."""
    query = select(HumanTask).where(
        HumanTask.instance_id == task.instance_id,
        HumanTask.status.in_(("done", "withdrawn")),
        HumanTask.completed_at <= task.created_at,
    )
    return list(db.session.scalars(query.order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())))


def _reopened(task: HumanTask) -> Reopened | None:
    """The 退回 or 撤回 that opened this task (its history line names the row it opened)."""
    query = select(CaseEvent).where(
        CaseEvent.instance_id == task.instance_id,
        CaseEvent.kind.in_((EventKind.TASK_RETURNED, EventKind.TASK_WITHDRAWN)),
    )
    for line in db.session.scalars(query.order_by(CaseEvent.id.desc())):
        details = line.details or {}
        if details.get("reopened") == task.id:
            return Reopened(
                line.kind,
                line.actor,
                details.get("from") or details.get("task", ""),
                line.at,
                details.get("reason", ""),
            )
    return None


def _same_step(done: HumanTask, task: HumanTask, parsed: ParsedDefinition) -> bool:
    # One of several parallel departments (a lane with departmentFrom) redoes its own answer only.
    if done.task_spec != task.task_spec:
        return False
    return done.department_id == task.department_id or task.lane not in parsed.lane_department_fields


def _answers(task_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not task_ids:
        return {}
    query = select(CaseEvent.task_id, CaseEvent.details).where(
        CaseEvent.task_id.in_(task_ids), CaseEvent.kind == EventKind.TASK_COMPLETED
    )
    return {task_id: details.get("data", {}) for task_id, details in db.session.execute(query)}


def _labelled(form: Form, answer: dict[str, Any]) -> list[dict[str, Any]]:
    names = {d.code: d.name for d in departments()}
    out = []
    for f in form.fields:
        if f.name not in answer:
            continue
        value = answer[f.name]
        options = {o.value: o.label for o in f.options} | (names if f.type.startswith("department") else {})
        out.append({"field": f.name, "label": f.label, "value": value, "text": readable(value, options)})
    return out


def case_data_labelled(task: HumanTask, leave_out: set[str]) -> list[dict[str, Any]]:
    """The case's data as a person reads it: each value under its label in the diagram's forms (the
    field's name where no form labels it), in the order the forms ask them; `leave_out` the step's own."""
    parsed = engine().definition(task.instance.definition)
    data = task.instance.data or {}
    fields: dict[str, FormField] = {}
    for f in parsed.every_field().fields:
        fields.setdefault(f.name, f)
    names = {d.code: d.name for d in departments()}
    ordered = [n for n in fields if n in data] + sorted(n for n in data if n not in fields)
    out = []
    for name in ordered:
        value = data[name]
        if name in leave_out or value is None or value == "" or value == []:
            continue
        known = fields.get(name)
        if known is None and name not in SERVICE_FIELD_LABELS:
            # What a service task stored for the diagram's own use (the approval chain, a round's
            # confirmations) is not for reading; a 错敏 screening result is, in words.
            words = summary_words(value)
            if words is not None:
                out.append({"field": name, "label": "错敏检测", "text": words})
            if words is not None or isinstance(value, dict | list):
                continue
        options = {o.value: o.label for o in known.options} if known else {}
        if known is None or known.type.startswith("department"):
            options |= names  # a department the case records for itself (drafting_department) too
        text = readable(value, options) if isinstance(value, str | bool | int | float | list) else str(value)
        label = known.label if known else SERVICE_FIELD_LABELS.get(name, name)
        out.append({"field": name, "label": label, "text": text})
    return out


# What the service itself records in a case's data, under the names people read.
SERVICE_FIELD_LABELS = {DRAFTING_DEPARTMENT: "拟稿处室"}


def labelled_answer(task: HumanTask, answer: dict[str, Any]) -> list[dict[str, Any]]:
    """An answer to this task's step, each field under its label (the earlier answer on rework)."""
    parsed = engine().definition(task.instance.definition)
    return _labelled(parsed.form_for(task.task_spec), answer)
