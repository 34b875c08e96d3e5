"""Running a case: start, find the human work that is ready, complete it, move on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.util.task import TaskState

from ..clock import Clock
from .limits import StepBudget
from .parser import ParsedDefinition
from .script_engine import RestrictedScriptEngine
from .serializer import GovWorkflow, WorkflowSerializer
from .timers import to_moment


class TaskNotReady(LookupError):
    """The task is not waiting for a person (already done, cancelled, or unknown)."""


@dataclass(frozen=True)
class ReadyTask:
    """A user or manual task waiting for a person."""

    id: str
    spec_name: str  # the diagram element's id, also for each instance of a multi-instance task
    name: str
    lane: str | None
    department: str | None = None  # named by the task's data, for a lane with departmentFrom
    assignee: str | None = None  # the username the task's data names, for a task with govflow:assignee


class ProcessRunner:
    """Drives workflows with the restricted script engine and a given clock."""

    def __init__(
        self,
        script_engine: RestrictedScriptEngine | None = None,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        services: Mapping[str, Callable[..., dict[str, Any]]] | None = None,
    ) -> None:
        if script_engine is not None and (functions is not None or services is not None):
            # Silently dropping the functions would only show once a timer failed in production.
            raise TypeError("give ProcessRunner extra functions and services or a script engine, not both")
        self.script_engine = script_engine or RestrictedScriptEngine(functions, services)
        self.serializer = WorkflowSerializer()

    def start(self, definition: ParsedDefinition, data: dict[str, Any], clock: Clock) -> GovWorkflow:
        """Create a workflow whose first task holds the start data, and run to the first wait."""
        workflow = GovWorkflow(
            definition.spec,
            definition.subprocess_specs,
            script_engine=self.script_engine,
            clock=clock,
        )
        workflow.definition = definition
        workflow.task_tree.data.update(data)
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(data)
        return self._step(workflow, definition.start_event)

    def advance(self, workflow: GovWorkflow) -> GovWorkflow:
        """Run engine steps and fire whatever timers the clock says are due."""
        return self._step(workflow, None)

    def _step(self, workflow: GovWorkflow, acted_on: str | None) -> GovWorkflow:
        """Move the workflow on, noting the element acted on and the human tasks it made ready."""
        before = {task.id for task in workflow.get_tasks(state=TaskState.READY, manual=True)}
        self._run_engine(workflow)
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        reached = {t.task_spec.bpmn_id for t in ready if t.id not in before}
        workflow.reached = frozenset(reached | ({acted_on} if acted_on else set()))
        return workflow

    def _run_engine(self, workflow: GovWorkflow) -> None:
        budget = StepBudget()  # a diagram looping through automatic tasks stops here
        workflow.refresh_timers()
        workflow.do_engine_steps(will_complete_task=budget)
        # A timer stores its moment when it starts waiting (its has_fired runs then). Should one
        # still lack it, a second pass computes it (firing it if it is past), so that
        # next_timer_at is right as soon as the step is saved.
        if any(value is None for value in self._timer_values(workflow)):
            workflow.refresh_timers()
            workflow.do_engine_steps(will_complete_task=budget)

    def next_timer_at(self, workflow: GovWorkflow) -> datetime | None:
        """The earliest moment a waiting timer event of the workflow fires (None: none waits)."""
        moments = []
        for value in self._timer_values(workflow):
            if isinstance(value, dict):  # a cycle timer keeps its next moment and cycles left
                value = value.get("next") if value.get("cycles") != 0 else None
            if value:
                moments.append(to_moment(value).astimezone(UTC))
        return min(moments, default=None)

    @staticmethod
    def _timer_values(workflow: GovWorkflow) -> list[Any]:
        """The stored moment (None until first evaluated) of every waiting timer event."""
        return [
            task.internal_data.get("event_value")
            for task in workflow.get_tasks(state=TaskState.WAITING)
            if isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition)
        ]

    def ready_tasks(
        self, workflow: GovWorkflow, definition: ParsedDefinition | None = None
    ) -> list[ReadyTask]:
        """The human tasks that are ready now, in a stable order."""
        fields = definition.lane_department_fields if definition is not None else {}
        people = definition.assignee_fields if definition is not None else {}
        ready = []
        for t in workflow.get_tasks(state=TaskState.READY, manual=True):
            spec = t.task_spec
            field = fields.get(spec.lane) if spec.lane else None
            department = t.data.get(field) if field else None
            person = people.get(spec.bpmn_id or "")
            assignee = t.data.get(person) if person else None
            ready.append(
                ReadyTask(
                    id=str(t.id),
                    spec_name=spec.bpmn_id or spec.name,
                    name=spec.bpmn_name or spec.bpmn_id or spec.name,
                    lane=spec.lane,
                    # "" rather than None: the lane needs a department, and assignment says it is missing.
                    department=(department if isinstance(department, str) else "") if field else None,
                    # "" likewise: the task needs a person, and routing refuses the step naming the field.
                    assignee=(assignee if isinstance(assignee, str) else "") if person else None,
                )
            )
        return ready

    def complete(
        self, workflow: GovWorkflow, task_id: str, data: dict[str, Any], unanswered: Iterable[str] = ()
    ) -> GovWorkflow:
        """Merge a person's validated data into a ready task, run it, and move on.

        `unanswered` names the task's form fields this answer leaves empty: an answer an earlier
        round gave to them (a task redone after a return) is dropped, so the case shows the
        current answer only; the history keeps the earlier one.
        """
        task = workflow.get_task_from_id(UUID(task_id)) if _is_uuid(task_id) else None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(task_id)
        for name in unanswered:
            task.data.pop(name, None)
        task.data.update(data)
        task.run()
        return self._step(workflow, task.task_spec.bpmn_id)

    def set_task_value(self, workflow: GovWorkflow, task_id: str, name: str, value: Any) -> None:
        """Change one value of a ready human task's own data (where a transfer sends a co-handler's task)."""
        task = workflow.get_task_from_id(UUID(task_id)) if _is_uuid(task_id) else None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(task_id)
        task.data[name] = value

    def case_data(self, workflow: GovWorkflow) -> dict[str, Any]:
        """The data the case has gathered so far (that of the latest finished task).

        When that task is one instance of a multi-instance task, the case's data is the
        multi-instance task's, which collects every finished instance's output: one co-handler's
        copy would show neither the others' answers nor the case as a whole.
        """
        task = workflow.last_task or workflow.task_tree
        if task.parent is not None and isinstance(task.parent.task_spec, MultiInstanceTask):
            task = task.parent
        return dict(task.data)

    def ending(self, workflow: GovWorkflow, definition: ParsedDefinition) -> str:
        """How a finished case closes its open clocks: its end event's govflow:outcome, else met.

        Should parallel paths have reached several marked end events, the last one reached counts.
        """
        if not definition.end_outcomes:
            return "met"
        reached = [
            t
            for t in workflow.get_tasks(state=TaskState.COMPLETED)
            if t.task_spec.bpmn_id in definition.end_outcomes
        ]
        if not reached:
            return "met"
        last = max(reached, key=lambda t: t.last_state_change)
        return definition.end_outcomes[last.task_spec.bpmn_id]

    def dumps(self, workflow: GovWorkflow) -> str:
        """Serialize the workflow's state."""
        return self.serializer.dumps(workflow)

    def loads(self, state: str, definition: ParsedDefinition, clock: Clock) -> GovWorkflow:
        """Restore a workflow with this runner's script engine and the given clock."""
        return self.serializer.loads(state, definition, self.script_engine, clock)


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except (ValueError, TypeError, AttributeError):
        return False
    return True
