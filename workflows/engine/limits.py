"""Bounds on what one step of a case may make the engine do, so a diagram cannot exhaust the service.

Scripts are capped by the sandbox; these caps cover what the engine itself repeats: a cycle of
automatic tasks (script → gateway → script …) or a loop would run for ever inside one step, and a
parallel multi-instance task makes all its instances, each with a copy of the case data, at once.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.spiff.parser.task_spec import SpiffTaskParser
from SpiffWorkflow.spiff.specs.defaults import ParallelMultiInstanceTask

from .problems import StepRefused

MAX_ENGINE_STEPS = 500  # automatic tasks one step may run; the seed flows need fewer than ten
MAX_INSTANCES = 100  # instances of one parallel multi-instance task (co-handlers: departments)


class StepBudget:
    """Counts the automatic tasks one step runs and stops the step when there are too many."""

    def __init__(self, limit: int = MAX_ENGINE_STEPS) -> None:
        self.left = limit

    def __call__(self, task: Any) -> None:
        self.left -= 1
        if self.left < 0:
            message = f"一步操作自动执行的环节超过 {MAX_ENGINE_STEPS} 个：流程图中有不经过人工办理的循环"
            raise StepRefused("step_limit", message, task)


class CappedParallelMultiInstance(ParallelMultiInstanceTask):
    """A parallel multi-instance task that refuses to make more than MAX_INSTANCES instances."""

    def create_children(self, my_task: Any) -> None:
        if self.data_input is not None:
            items = self.data_input.get(my_task)
            count = len(items) if hasattr(items, "__len__") else None
        else:
            count = my_task.workflow.script_engine.evaluate(my_task, self.cardinality)
        if not isinstance(count, int) or count > MAX_INSTANCES:
            message = f"并行多实例环节最多 {MAX_INSTANCES} 个实例，这里要生成 {count!r} 个"
            raise StepRefused("too_many_instances", message, my_task)
        super().create_children(my_task)


def capped(parser_class: type) -> type:
    """The same task parser, making capped parallel multi-instance tasks."""
    if not issubclass(parser_class, SpiffTaskParser):
        return parser_class
    return type(
        f"Capped{parser_class.__name__}", (parser_class,), {"PARALLEL_MI_CLASS": CappedParallelMultiInstance}
    )
