"""Recording what a step did: the workflow's new state on the case, and the inbox made to match it.

Every use case that moves a case (a completion, a start, the sweep's timers, a migration) ends here,
inside its own transaction.
"""

from __future__ import annotations

from typing import Any

from workflows.engine.parser import ParsedDefinition
from workflows.engine.runner import ReadyTask
from workflows.engine.serializer import GovWorkflow

from ..models import HumanTask, ProcessInstance, User
from ..models.events import EventKind
from . import clock_actions, clocks, routing
from .engine import engine, now
from .org import department_by_code
from .unit import event
from .writes import insert_row, versioned_update


def record_step(
    instance: ProcessInstance,
    workflow: GovWorkflow,
    actor: User | None,
    open_rows: list[HumanTask],
    parsed: ParsedDefinition,
    **changes: Any,
) -> None:
    """Store the workflow's new state (and any other changes to the case), then sync the inbox."""
    runner = engine().runner
    completed = workflow.is_completed()
    data = runner.case_data(workflow)
    if completed:
        changes.update(status="completed", completed_at=now())
    ending = runner.ending(workflow, parsed) if completed else None
    changes.update(clocks.case_progress(instance, parsed, data, ending, open_rows))
    changes["next_timer_at"] = None if completed else runner.next_timer_at(workflow)
    versioned_update(instance, state=runner.dumps(workflow), data=data, **changes)
    _sync_tasks(instance, workflow, actor, open_rows, parsed)
    if completed:
        event(instance, actor, EventKind.COMPLETED)


def _sync_tasks(
    instance: ProcessInstance,
    workflow: GovWorkflow,
    actor: User | None,
    open_rows: list[HumanTask],
    parsed: ParsedDefinition,
) -> None:
    """Make the inbox rows match the workflow's ready human tasks."""
    ready = {t.id: t for t in engine().runner.ready_tasks(workflow, parsed)}
    for row in open_rows:
        if row.status != "open":
            continue
        if row.spiff_task_id not in ready:
            versioned_update(row, status="cancelled")
            clock_actions.task_closed(instance, parsed, row, None)
            event(instance, actor, EventKind.TASK_CANCELLED, row, {"task": row.name})
    known = {row.spiff_task_id for row in open_rows if row.status == "open"}
    owner = instance.owning_department.code if instance.owning_department else None
    for ready_task in ready.values():
        if ready_task.id not in known:
            _open_task(instance, ready_task, owner, actor, parsed)


def _open_task(
    instance: ProcessInstance,
    ready_task: ReadyTask,
    owner: str | None,
    actor: User | None,
    parsed: ParsedDefinition,
) -> None:
    """Put a task the workflow just made ready into the inbox of the department its lane names."""
    decision, barred = routing.route(instance, parsed, ready_task, owner)
    assignee = routing.named_assignee(parsed, ready_task, decision, barred)
    department = department_by_code(decision.department)
    role = decision.role.value if decision.role else None
    clock_rule = clocks.task_schedule(parsed, ready_task.spec_name, instance.data, instance.id)
    row_id = insert_row(
        HumanTask,
        instance_id=instance.id,
        spiff_task_id=ready_task.id,
        task_spec=ready_task.spec_name,
        name=ready_task.name,
        lane=ready_task.lane,
        department_id=department.id,
        role=role,
        status="open",
        created_at=now(),
        barred_user_id=barred,
        assignee_id=assignee.id if assignee else None,
        version=1,
        **clocks.task_due_columns(instance, clock_rule),
    )
    clocks.start_task_clock(instance.id, row_id, clock_rule)
    clock_actions.task_opened(instance, parsed, ready_task.spec_name, row_id, ready_task.name)
    details = {
        "task": ready_task.name,
        "department": department.name,
        "role": role,
        "reason": decision.reason,
    }
    if assignee is not None:
        details["assignee"] = assignee.name  # held at once by the person the case data names
    event(instance, actor, EventKind.TASK_CREATED, row_id, details)
