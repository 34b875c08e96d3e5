"""Opinions given before they had a table of their own (migration 0011_opinion), derived once from
the history with the rules a completion or a transfer uses now: `flask backfill-opinions`.

Which answers of a step are opinions, and how their values read, is known only from the diagram's
forms, so this runs with the app (never inside the migration). Running it again adds nothing.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select

from workflows.engine.parser import ParsedDefinition
from workflows.opinions import step_opinion

from ..extensions import db
from ..models import CaseEvent, Department, HumanTask, Opinion, OpinionKind, ProcessInstance
from ..models.events import EventKind
from .engine import engine
from .opinions import opinion_row
from .unit import in_transaction
from .writes import insert_rows

SOURCES = (EventKind.TASK_COMPLETED, EventKind.TASK_TRANSFERRED)


def backfill_opinions() -> int:
    """Write the opinions the history holds and the opinion table lacks, one case per transaction;
    returns how many were written."""
    query = select(CaseEvent.instance_id).where(CaseEvent.kind.in_(SOURCES)).distinct()
    cases = sorted(db.session.scalars(query))
    db.session.rollback()
    added = 0
    for case_id in cases:
        added += in_transaction(partial(_backfill_case, case_id))
    return added


def _backfill_case(instance_id: int) -> int:
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None:
        return 0
    parsed = engine().definition(instance.definition)
    have = {(o.task_id, o.kind, o.at) for o in db.session.scalars(_opinions_of(instance_id))}
    approved = {task_id for task_id, kind, _ in have if kind == OpinionKind.APPROVAL}
    query = select(HumanTask).where(HumanTask.instance_id == instance_id)
    tasks = {t.id: t for t in db.session.scalars(query)}
    rows = []
    for e in db.session.scalars(_sources_of(instance_id)):
        task = tasks.get(e.task_id) if e.task_id is not None else None
        if task is None:
            continue
        if e.kind == EventKind.TASK_COMPLETED and task.id not in approved:
            rows += _completion(instance_id, parsed, task, e)
        elif e.kind == EventKind.TASK_TRANSFERRED and (task.id, OpinionKind.TRANSFER, e.at) not in have:
            rows += _transfer(instance_id, task, e)
    insert_rows(Opinion, rows)
    return len(rows)


def _completion(instance_id: int, parsed: ParsedDefinition, task: HumanTask, e: CaseEvent) -> list[dict]:
    details: dict[str, Any] = e.details or {}
    approval = task.task_spec in parsed.approves
    found = step_opinion(parsed.form_for(task.task_spec), details.get("data") or {}, approval)
    if found is None:
        return []
    kind, step = OpinionKind.APPROVAL, details.get("task") or task.name
    return [opinion_row(instance_id, task, e.actor, found.text, found.verdict, kind, e.at, step=step)]


def _transfer(instance_id: int, task: HumanTask, e: CaseEvent) -> list[dict]:
    """The reason, under the department the task left (the history names it)."""
    details: dict[str, Any] = e.details or {}
    reason, to, left = details.get("reason"), details.get("to"), details.get("from")
    if not isinstance(reason, str) or not reason.strip():
        return []
    department = db.session.scalar(select(Department.id).where(Department.name == left)) if left else None
    verdict = f"转办至{to}" if isinstance(to, str) else None
    was = {"step": details.get("task") or task.name, "department_id": department}
    return [opinion_row(instance_id, task, e.actor, reason, verdict, OpinionKind.TRANSFER, e.at, **was)]


def _opinions_of(instance_id: int):
    return select(Opinion).where(Opinion.instance_id == instance_id)


def _sources_of(instance_id: int):
    query = select(CaseEvent).where(CaseEvent.instance_id == instance_id, CaseEvent.kind.in_(SOURCES))
    return query.order_by(CaseEvent.id)
