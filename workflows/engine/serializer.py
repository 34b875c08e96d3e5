"""Workflow state as JSON without the spec: the spec is attached from the cache on load."""

from __future__ import annotations

import json
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from ..clock import Clock, SystemClock
from .parser import ParsedDefinition


class GovWorkflow(BpmnWorkflow):
    """A BPMN workflow that carries the clock its timers read and the diagram it runs.

    `reached` holds the elements the last step acted on or made ready (see ProcessRunner), so a
    caller can check what that step needs of the service (the deadlines they name) before using it.
    """

    def __init__(self, spec, subprocess_specs=None, script_engine=None, clock=None, **kwargs):
        super().__init__(spec, subprocess_specs, script_engine=script_engine, **kwargs)
        self.clock: Clock = clock or SystemClock()
        self.definition: ParsedDefinition | None = None
        self.reached: frozenset[str] = frozenset()


class GovWorkflowConverter(BpmnWorkflowConverter):
    """Leaves the spec out of the instance JSON and takes it back from the caller on restore."""

    def to_dict(self, workflow):
        dct = super().to_dict(workflow)
        dct.pop("spec")
        dct.pop("subprocess_specs")
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        if spec is None:
            raise ValueError("a stored workflow can only be restored with its spec")
        dct = dict(dct)
        dct["spec"] = None
        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _registry():
    config = dict(SPIFF_CONFIG)
    config.pop(BpmnWorkflow)
    config[GovWorkflow] = GovWorkflowConverter
    return BpmnWorkflowSerializer.configure(config)


class WorkflowSerializer:
    """Turns a running workflow into JSON text and back, given its parsed definition."""

    def __init__(self) -> None:
        self._inner = BpmnWorkflowSerializer(_registry())

    def dumps(self, workflow: GovWorkflow) -> str:
        """Serialize the workflow's state (tasks, data, events), not its spec."""
        return self._inner.serialize_json(workflow)

    def loads(self, state: str, definition: ParsedDefinition, script_engine, clock: Clock) -> GovWorkflow:
        """Restore a workflow and re-attach the restricted script engine and the clock."""
        dct = json.loads(state)
        self._inner.migrate(dct)
        workflow = self._inner.from_dict(
            dct, spec=definition.spec, subprocess_specs=definition.subprocess_specs
        )
        # A restored workflow otherwise gets SpiffWorkflow's unrestricted default engine.
        workflow.script_engine = script_engine
        workflow.clock = clock
        workflow.definition = definition
        return workflow
