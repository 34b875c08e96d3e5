"""Moving a running case onto a newer version of its diagram.

SpiffWorkflow's diff utilities (`SpiffWorkflow.bpmn.util.diff`) align each task spec of the old
version with one of the new: by element id, or where an id is gone by the place the element holds
among its neighbours. With that alignment every task of the case is pointed at the new version's
spec. Its own `migrate_workflow` then resets every ready and waiting task, which would give a
parallel task's instances new ids, drop their department and restart waiting timers; here only what
the case has not reached yet is thrown away and predicted again from the new diagram, so open tasks
keep their ids and data and a waiting timer keeps its moment.

A case moves only if the new version still holds everything it has done and is doing:

- every open human task under the same element id, still a user or manual task, with a form
  compatible with the old one (workflows/form_compat.py);
- every step it passed or waits at (a timer, a parallel task), aligned to an element of the new
  version (the stored case names each task's element, and an element the version lacks could not be
  read back), and reached the way the case reached it: the route so far must be a route through the
  new diagram, or a step further on (a join, a boundary event's end) would wait for what never came.

Anything else is refused with every step it concerns, and nothing is changed. A case with
sub-workflows (a subprocess it is in or has passed) is moved part by part, each on its own spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.util.diff import SpecDiff
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from ..form_compat import FormChange, form_changes
from .limits import CappedParallelMultiInstance
from .parser import ParsedDefinition
from .serializer import GovWorkflow
from .timers import TIMER_CLASSES

# Tasks that are predictions only: dropped and predicted again from the new diagram.
NOT_REACHED = TaskState.PREDICTED_MASK | TaskState.FUTURE
# Tasks the case is at: a person's task, a waiting event, a parallel task with instances running.
CURRENT = TaskState.READY | TaskState.WAITING | TaskState.STARTED


@dataclass(frozen=True)
class LostStep:
    """A step of the case the new version cannot carry on.

    `reason`: `missing` (no such element), `not_human` (no longer a user or manual task),
    `changed_kind` (a waiting event or parallel task became another kind of element), `moved`
    (reached another way in the new diagram, e.g. a boundary event added to the open task), `form`
    (the open task's new form is not compatible: `fields` says why).
    """

    element: str
    name: str
    open: bool  # an open human task (else a step passed, or waited at)
    reason: str
    fields: tuple[FormChange, ...] = ()


class MigrationRefused(Exception):
    """The case cannot move to that version; `lost` names every step concerned."""

    def __init__(self, lost: tuple[LostStep, ...]) -> None:
        super().__init__(", ".join(f"{step.element}: {step.reason}" for step in lost))
        self.lost = lost


def migrate(workflow: GovWorkflow, old: ParsedDefinition, new: ParsedDefinition) -> None:
    """Point a restored case (of version `old`) at the new version; raise MigrationRefused, changing
    nothing, if it cannot."""
    parts, lost = [_Part(workflow, new.spec)], []
    for sub in workflow.subprocesses.values():  # finished ones too: they are stored with the case
        spec = new.subprocess_specs.get(sub.spec.name)
        if spec is not None:
            parts.append(_Part(sub, spec))
        else:
            owner = workflow.get_task_from_id(sub.parent_task_id)
            lost.append(LostStep(*_element_of(owner.task_spec, owner.workflow.spec), False, "missing"))
    lost += [step for part in parts for step in part.lost()]
    lost += _form_changes(workflow, old, new)
    if lost:
        raise MigrationRefused(_once_each(lost))
    for part in parts:
        part.apply()
    workflow.subprocess_specs = new.subprocess_specs


class _Part:
    """The workflow or one of its sub-workflows, with the new version's spec for it."""

    def __init__(self, workflow: Any, spec: Any) -> None:
        self.workflow, self.spec = workflow, spec
        self.alignment = SpecDiff(_spec_registry(), workflow.spec, spec).alignment
        tasks = list(workflow.get_tasks(skip_subprocesses=True))
        self.dropped = [task for task in tasks if _is_prediction(task)]
        gone = {below.id for task in self.dropped for below in task}  # iterating a task walks its subtree
        self.kept = [task for task in tasks if task.id not in gone]

    def lost(self) -> list[LostStep]:
        found = (_lost(task, self.alignment, self.spec.task_specs) for task in self.kept)
        return [step for step in found if step is not None]

    def apply(self) -> None:
        self.workflow.spec = self.spec
        for task in self.dropped:
            if task.id in self.workflow.tasks:
                self.workflow._remove_task(task.id)
        for task in self.kept:
            task.task_spec = self.alignment[task.task_spec]
        for task in self.kept:
            if _is_anchor(task):
                _predict_below(task)


def _is_anchor(task: Any) -> bool:
    """A task the case has reached (or surely will, next): what follows it is predicted from it."""
    if task.has_state(CURRENT):
        return True
    parent = task.parent
    finished = parent is not None and parent.has_state(TaskState.FINISHED_MASK)
    return finished and task.has_state(TaskState.FUTURE)


def _is_prediction(task: Any) -> bool:
    """The top of a predicted branch the old diagram drew below a reached task: thrown away."""
    parent = task.parent
    if parent is None or task.triggered or not task.has_state(NOT_REACHED) or _is_anchor(task):
        return False
    return _is_anchor(parent) or parent.has_state(TaskState.FINISHED_MASK)


def _predict_below(task: Any) -> None:
    """Predict the tasks that follow a reached one from its (new) spec, as SpiffWorkflow does."""
    if task.has_state(NOT_REACHED):
        task.task_spec._predict(task, mask=NOT_REACHED)
        return
    task.task_spec._predict_hook(task)
    for child in task.children:
        if child.has_state(NOT_REACHED):
            child.task_spec._predict(child, mask=NOT_REACHED)


def _lost(task: Any, alignment: dict, specs: dict) -> LostStep | None:
    """Why the new version cannot carry this task of the case, if it cannot."""
    old_spec = task.task_spec
    is_open = task.has_state(TaskState.READY) and bool(old_spec.manual)
    target = alignment.get(old_spec)
    if is_open:
        # An open task keeps its element: an id the new version moved elsewhere is another task.
        target = specs.get(old_spec.name)
    reason = None
    if target is None:
        reason = "missing"
    elif is_open and not target.manual:
        reason = "not_human"
    elif task.has_state(CURRENT) and not is_open and type(target) is not type(old_spec):
        reason = "changed_kind"
    elif task.parent is not None and not _reached_from(target, alignment.get(task.parent.task_spec), task):
        reason = "moved"
    if reason is None:
        return None
    element, name = _element_of(old_spec, task.workflow.spec)
    return LostStep(element, name, is_open, reason)


def _form_changes(workflow: GovWorkflow, old: ParsedDefinition, new: ParsedDefinition) -> list[LostStep]:
    """The open tasks the new version keeps whose form there does not fit (the others are named already)."""
    lost = []
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        element = task.task_spec.bpmn_id or task.task_spec.name
        if element not in new.forms and element not in old.forms:
            continue
        answers = dict(task.data)
        changes = form_changes(old.form_for(element), new.form_for(element), answers)
        if changes:
            name = task.task_spec.bpmn_name or element
            lost.append(LostStep(element, name, True, "form", changes))
    return lost


def _element_of(spec: Any, process: Any) -> tuple[str, str]:
    """The diagram element a spec stands for (id, name); SpiffWorkflow's own joins and splits
    around a task (`wait.BoundaryEventSplit`) stand for that task."""
    owner = spec
    if not getattr(spec, "bpmn_id", None):
        owner = process.task_specs.get(spec.name.split(".")[0], spec)
    element = getattr(owner, "bpmn_id", None) or owner.name
    return element, getattr(owner, "bpmn_name", None) or element


def _once_each(steps: list[LostStep]) -> tuple[LostStep, ...]:
    """One line per element, an open task's first."""
    found: dict[str, LostStep] = {}
    for step in sorted(steps, key=lambda s: not s.open):
        found.setdefault(step.element, step)
    return tuple(found.values())


def _reached_from(target: Any, parent: Any, task: Any) -> bool:
    """Does the new diagram lead from the (aligned) parent step to this one, as the case went?"""
    if parent is None:
        return True  # the step before is gone: that step is the one to name
    if task.triggered:  # an instance of a parallel task, or a task an event started
        return not isinstance(parent, LoopTask) or parent.task_spec == target.name
    return target in parent.outputs


@cache
def _spec_registry():
    """SpiffWorkflow's converters, told of govflow's own spec classes (the diff compares specs as dicts)."""
    config = dict(SPIFF_CONFIG)
    for cls in (CappedParallelMultiInstance, *TIMER_CLASSES.values()):
        base = next(b for b in cls.__mro__[1:] if b in config)
        config[cls] = config[base]
    return BpmnWorkflowSerializer.configure(config)
