"""Running a case: start, find the human work that is ready, complete it, move on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask, MultiInstanceTask
from SpiffWorkflow.bpmn.specs.mixins.parallel_gateway import ParallelGateway
from SpiffWorkflow.task import Task
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


@dataclass(frozen=True)
class EarlierStep:
    """A completed human task on the path that led to a ready one: where a return may send the case."""

    id: str
    spec_name: str
    name: str


@dataclass(frozen=True)
class Following:
    """What came after a completed human task: the human tasks ready now, and whether one was done."""

    ready: frozenset[str]
    moved_on: bool


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

    def earlier_steps(self, workflow: GovWorkflow, task_id: str) -> list[EarlierStep]:
        """The steps a ready human task may send its case back to, the latest first, each once.

        They are the completed human tasks on the path that led to it, but never inside a parallel
        region (parallel or inclusive gateways, multi-instance tasks, a non-interrupting boundary
        event's path) that the task is not in itself; a task inside a parallel branch stays in it.
        """
        task = self._ready_human_task(workflow, task_id)
        found: dict[str, EarlierStep] = {}
        for earlier in _earlier_on_path(task):
            spec = earlier.task_spec
            name = spec.bpmn_id or spec.name
            found.setdefault(name, EarlierStep(str(earlier.id), name, spec.bpmn_name or name))
        return list(found.values())

    def following(self, workflow: GovWorkflow, task_id: str) -> Following:
        """What a completed human task led to (a reset of it would drop all of it)."""
        task = workflow.get_task_from_id(UUID(task_id)) if _is_uuid(task_id) else None
        if task is None or task.state != TaskState.COMPLETED or not task.task_spec.manual:
            raise TaskNotReady(task_id)
        after = [t for t in task if t is not task and t.task_spec.manual]
        return Following(
            ready=frozenset(str(t.id) for t in after if t.state == TaskState.READY),
            moved_on=any(t.state == TaskState.COMPLETED for t in after),
        )

    def reopen(self, workflow: GovWorkflow, task_id: str) -> str:
        """Make a completed human task ready again, dropping whatever came after it; returns its new id.

        The case data stays as the task left it, its answer included (the form starts from it);
        the answers of the steps after it go, as those steps will be done again. The task gets a
        new id: the inbox keeps a row per round of a task, and the earlier round's row keeps the old one.
        """
        task = workflow.get_task_from_id(UUID(task_id)) if _is_uuid(task_id) else None
        if task is None or task.state != TaskState.COMPLETED or not task.task_spec.manual:
            raise TaskNotReady(task_id)
        answered = deepcopy(task.data)
        workflow.reset_from_task_id(task.id)
        task.data = answered  # becoming ready merged the parent's data over the answer
        _give_new_id(workflow, task)
        workflow.last_task = task  # the case data is the latest task's: this one's, as it left it
        self._step(workflow, None)
        return str(task.id)

    def _ready_human_task(self, workflow: GovWorkflow, task_id: str) -> Task:
        task = workflow.get_task_from_id(UUID(task_id)) if _is_uuid(task_id) else None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(task_id)
        return task

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


def _earlier_on_path(task: Task) -> Iterator[Task]:
    """The completed human tasks above `task` in the task tree that a return may reach, nearest first.

    Walking up, a join means the tasks above it lie inside a parallel region until its split; a
    split reached outside any such region is the one whose branch `task` is in: the walk ends there.
    """
    depth = 0
    child, node = task, task.parent
    while node is not None:
        if _splits(node, child):
            if depth == 0:
                return
            depth -= 1
        if _joins(node):
            depth += 1
        if depth == 0 and node.task_spec.manual and node.state == TaskState.COMPLETED:
            yield node
        child, node = node, node.parent


def _splits(node: Task, child: Task) -> bool:
    """Does `child` start one of several branches running side by side from `node`?"""
    spec = node.task_spec
    if isinstance(spec, ParallelGateway | InclusiveGateway):
        return len(spec.outputs) > 1
    if isinstance(spec, LoopTask):  # an instance of a multi-instance task, not what follows it
        return child.task_spec.name == spec.task_spec
    if isinstance(spec, BoundaryEventSplit):
        event = child.task_spec
        return isinstance(event, BoundaryEvent) and not event.cancel_activity
    return False


def _joins(node: Task) -> bool:
    spec = node.task_spec
    return isinstance(spec, ParallelGateway | InclusiveGateway) and len(spec.inputs) > 1


def _give_new_id(workflow: GovWorkflow, task: Task) -> None:
    # In place and in order: the serializer stores a task's data as a change to its parent's, so
    # a parent must stay ahead of its children in the mapping for them to be restored.
    old, new = task.id, uuid4()
    tasks = list(workflow.tasks.items())
    workflow.tasks.clear()
    workflow.tasks.update((new if key == old else key, value) for key, value in tasks)
    task.id = new
    parent = task.parent
    if parent is not None:
        parent._children = [new if child == old else child for child in parent._children]
    for child in task.children:
        child._parent = new


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except (ValueError, TypeError, AttributeError):
        return False
    return True
