"""Turning models into the JSON the API documents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from workflows.forms import Form
from workflows.periods import Period, Unit
from workflows.sla import lateness_unit

from ..models import (
    CaseEvent,
    Deadline,
    Department,
    HumanTask,
    Notification,
    Opinion,
    ProcessDefinition,
    ProcessInstance,
    User,
)
from ..services import clocks
from ..services.countersign import Countersign
from ..services.delegation import draft_of
from ..services.engine import now
from ..services.task_detail import TaskDetail


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.id, "username": user.username, "name": user.name} if user else None


def department(dept: Department | None) -> dict[str, Any] | None:
    return {"code": dept.code, "name": dept.name} if dept else None


def definition(row: ProcessDefinition, start_form: Form | None, can_start: bool) -> dict[str, Any]:
    return {
        "key": row.key,
        "version": row.version,
        "name": row.name,
        "deployed_at": iso(row.deployed_at),
        "start_form": start_form.to_list() if start_form else None,
        "can_start": can_start,  # whether the person asking may start one (the start event's lane)
    }


def task(row: HumanTask) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "task_spec": row.task_spec,
        "status": row.status,
        "department": department(row.department),
        "role": row.role,
        "assignee": person(row.assignee),
        "instance": {
            "id": row.instance_id,
            "tracking_number": row.instance.tracking_number,
            "process": row.instance.definition.name,
        },
        "created_at": iso(row.created_at),
        **due_fields(row.due_at, row.remind_at, row.due_provisional, row.status == "open"),
        "escalation_level": row.escalation_level,
        "delegate": person(row.delegate) if row.delegated else None,
        "delegated_at": iso(row.delegated_at) if row.delegated else None,
        "urge_count": row.urge_count,
        "last_urged_at": iso(row.last_urged_at),
        **outcome(row.own_clock if row.status == "done" and row.has_clock else None),
        "completed_at": iso(row.completed_at),
        "completed_by": person(row.completed_by),
        "version": row.version,
    }


def completion(done: HumanTask, next_tasks: Sequence[HumanTask]) -> dict[str, Any]:
    """A completed task, the case as the step left it, and the tasks it opened that the same person
    may act on next."""
    case = done.instance
    return {
        **task(done),
        "case": {"id": case.id, "tracking_number": case.tracking_number, "status": case.status},
        "next_tasks": [task(row) for row in next_tasks],
    }


def task_detail(detail: TaskDetail) -> dict[str, Any]:
    """One task for the person doing it: the form (prefilled from a delegate's draft, or on rework
    from the last answer), the case, why it came back, and what a delegate handed back."""
    row, earlier = detail.task, detail.earlier or {}
    draft = draft_of(row)
    prefill = draft.data if draft else earlier
    out = task(row)
    out["form"] = [{**f, "value": prefill.get(f["name"])} for f in detail.form.to_list()]
    out["draft"] = (
        None
        if draft is None
        else {"data": draft.data, "note": draft.note, "by": person(draft.by), "at": iso(draft.at)}
    )
    out["case"] = {
        "id": row.instance_id,
        "tracking_number": row.instance.tracking_number,
        "status": row.instance.status,
        "data": detail.case_data,
    }
    returned, reopened = detail.returned_by, detail.reopened
    out["rework"] = (
        None
        if returned is None and reopened is None
        else {
            "previous_answer": earlier,
            "returned_by": None
            if returned is None
            else {
                "task": returned.task.name,
                "task_spec": returned.task.task_spec,
                "person": person(returned.task.completed_by),
                "at": iso(returned.task.completed_at),
                "answer": returned.fields,
            },
            "reopened_by": None
            if reopened is None
            else {
                "kind": reopened.kind,
                "person": person(reopened.by),
                "from_task": reopened.from_task,
                "at": iso(reopened.at),
                "reason": reopened.reason,
            },
        }
    )
    out["opinions"] = [opinion(o) for o in detail.opinions]
    out["countersign"] = countersign(detail.countersign) if detail.countersign else None
    return out


def opinion(row: Opinion) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "step": row.step,
        "task_spec": row.task_spec,
        "task_id": row.task_id,
        "department": department(row.department),
        "author": person(row.author),
        "at": iso(row.at),
        "verdict": row.verdict,
        "text": row.text,
    }


def countersign(round_: Countersign) -> dict[str, Any]:
    """One round of a parallel approval: who has signed, who is awaited."""
    return {
        "step": round_.step,
        "task_spec": round_.task_spec,
        "round": round_.round,
        "signed": round_.signed,
        "expected": round_.expected,
        "signers": [
            {
                "task_id": s.task.id,
                "department": department(s.task.department),
                "person": person(s.task.completed_by if s.status == "signed" else s.task.assignee),
                "status": s.status,
                "at": iso(s.task.completed_at),
                "opinion": opinion(s.opinion) if s.opinion else None,
            }
            for s in round_.signers
        ],
    }


def due_fields(due_at: datetime | None, remind_at: datetime | None, provisional: bool, running: bool):
    """Where something stands against its deadline, as the inbox and detail views show it."""
    at = now()
    overdue = bool(running and due_at is not None and at >= due_at)
    soon = bool(running and not overdue and due_at is not None and remind_at is not None and at >= remind_at)
    return {"due_at": iso(due_at), "overdue": overdue, "due_soon": soon, "provisional": provisional}


def outcome(row: Deadline | None) -> dict[str, Any]:
    """Whether a met deadline was kept, and by how many working days (or days) it was late.

    Null while it runs, when it closed otherwise (abandoned, withdrawn, returned, cancelled), and on
    a task without a deadline of its own.
    """
    if row is None or row.status != "met" or row.on_time is None:
        return {"on_time": None, "late_by": None, "late_unit": None}
    unit = lateness_unit(clocks.bound_unit(row))
    return {"on_time": row.on_time, "late_by": row.late_by, "late_unit": unit.value}


def clock(row: Deadline) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "label": row.label,
        "task_id": row.task_id,
        "period": Period(row.amount, Unit(row.unit)).label,
        "extension": Period(row.extension, Unit(row.unit)).label if row.extension else None,
        "started_on": row.started_on.isoformat(),
        "no_later_than": row.latest_on.isoformat() if row.latest_on else None,
        "rolls": row.rolls,
        "target": Period(row.target_amount, Unit(row.target_unit)).label
        if row.target_unit is not None and row.target_amount is not None
        else None,
        "ceiling_due_on": row.ceiling_due_on.isoformat() if row.ceiling_due_on else None,
        "target_due_on": row.target_due_on.isoformat() if row.target_due_on else None,
        "binds": clocks.binds(row),
        "pauses": row.pauses,
        "status": row.status,
        "paused": row.status == "paused",
        **due_fields(row.due_at, row.remind_at, row.provisional, row.status == "running"),
        "escalation_level": row.level,
        "waiting": row.waiting,
        "closed_at": iso(row.closed_at),
        **outcome(row),
    }


def notification(row: Notification) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "instance_id": row.instance_id,
        "task_id": row.task_id,
        "created_at": iso(row.created_at),
        "read": row.read_at is not None,
    }


def instance(
    row: ProcessInstance, tasks: list[HumanTask], events: list[CaseEvent], clocks: Sequence[Deadline] = ()
) -> dict[str, Any]:
    return {
        "id": row.id,
        "tracking_number": row.tracking_number,
        "process": {
            "key": row.definition.key,
            "version": row.definition.version,
            "name": row.definition.name,
        },
        "status": row.status,
        "owning_department": department(row.owning_department),
        "started_at": iso(row.started_at),
        "completed_at": iso(row.completed_at),
        "cancellation": cancellation(events) if row.status == "cancelled" else None,
        **due_fields(row.due_at, None, row.due_provisional, row.status == "running"),
        "clock_paused": row.clock_paused,
        "deadlines": [clock(c) for c in clocks],
        "data": row.data,
        "open_tasks": [task(t) for t in tasks if t.status == "open"],
        "done_tasks": [task(t) for t in tasks if t.status == "done"],
        "history": [event(e) for e in events],
        "version": row.version,
    }


def cancellation(events: list[CaseEvent]) -> dict[str, Any] | None:
    """When, by whom and why a case was cancelled, from its history."""
    found = next((e for e in reversed(events) if e.kind == "case_cancelled"), None)
    if found is None:
        return None
    details = found.details
    return {
        "at": iso(found.at),
        "by": person(found.actor),
        "reason": details.get("reason"),
        "withdrawn": bool(details.get("withdrawn", False)),
    }


def event(row: CaseEvent) -> dict[str, Any]:
    return {
        "at": iso(row.at),
        "kind": row.kind,
        "actor": person(row.actor),
        "task_id": row.task_id,
        "details": row.details,
    }
