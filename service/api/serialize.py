"""Turning models into the JSON the API documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from workflows.forms import Form

from ..models import CaseEvent, Department, HumanTask, ProcessDefinition, ProcessInstance, User


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.id, "username": user.username, "name": user.name} if user else None


def department(dept: Department | None) -> dict[str, Any] | None:
    return {"code": dept.code, "name": dept.name} if dept else None


def definition(row: ProcessDefinition, start_form: Form | None) -> dict[str, Any]:
    return {
        "key": row.key,
        "version": row.version,
        "name": row.name,
        "deployed_at": iso(row.deployed_at),
        "start_form": start_form.to_list() if start_form else None,
    }


def task(row: HumanTask, form: Form | None = None) -> dict[str, Any]:
    out = {
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
        "due_at": iso(row.due_at),
        "completed_at": iso(row.completed_at),
        "completed_by": person(row.completed_by),
        "version": row.version,
    }
    if form is not None:
        out["form"] = form.to_list()
    return out


def instance(row: ProcessInstance, tasks: list[HumanTask], events: list[CaseEvent]) -> dict[str, Any]:
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
        "due_at": iso(row.due_at),
        "data": row.data,
        "open_tasks": [task(t) for t in tasks if t.status == "open"],
        "done_tasks": [task(t) for t in tasks if t.status == "done"],
        "history": [event(e) for e in events],
        "version": row.version,
    }


def event(row: CaseEvent) -> dict[str, Any]:
    return {
        "at": iso(row.at),
        "kind": row.kind,
        "actor": person(row.actor),
        "task_id": row.task_id,
        "details": row.details,
    }
