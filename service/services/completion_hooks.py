"""Service work tied to completing one task of one diagram, done in the step's own transaction: a
table of (process, task) → handlers. A mailbox reply published to everyone (MBX-4), a column's last
update when an item is published in it, the register changing when a column request is approved
(COL-2, COL-4). A handler may refuse the step by raising ServiceError: nothing of it is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..models import HumanTask, ProcessInstance

Hook = Callable[[ProcessInstance, HumanTask, dict[str, Any], dict[str, Any]], None]
_HOOKS: dict[tuple[str, str], list[Hook]] = {}


def on_completion(process: str, task: str) -> Callable[[Hook], Hook]:
    """Register a handler run when `task` of diagram `process` is completed (a module-level decorator)."""

    def register(hook: Hook) -> Hook:
        handlers = _HOOKS.setdefault((process, task), [])
        if hook not in handlers:
            handlers.append(hook)
        return hook

    return register


def run(
    instance: ProcessInstance, task: HumanTask, values: dict[str, Any], case_data: dict[str, Any]
) -> None:
    """Run the handlers of this completion, with the form's values and the case as the step leaves it."""
    for hook in _HOOKS.get((instance.definition.key, task.task_spec), ()):
        hook(instance, task, values, case_data)
