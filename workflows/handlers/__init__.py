"""Service-task handlers: what a diagram's service task may ask the service to do, by name.

A diagram names an operation (`spiffworkflow:serviceTaskOperator id="content_screening"`); only
operations registered here exist, so a diagram cannot reach any other code. Each handler is a small
class (CTFd's plugin shape) built once per process with what it needs from the service, and called
with the task's evaluated parameters and a read-only view of the case data. It returns JSON-safe data
that the task stores under its result variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar


class HandlerError(ValueError):
    """A service task called with parameters its handler cannot use."""


class Handler:
    """One operation a service task may call."""

    name: ClassVar[str]
    label: ClassVar[str]  # Chinese, for people reading the diagram or its errors
    parameters: ClassVar[frozenset[str]]  # the parameter names it takes, all required

    def __call__(self, params: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


HANDLERS: dict[str, type[Handler]] = {}
H = TypeVar("H", bound=type[Handler])


def register(handler: H) -> H:
    """Make a handler class known under its name."""
    HANDLERS[handler.name] = handler
    return handler


def check_parameters(name: str, given: set[str]) -> list[str]:
    """What is wrong with calling operation `name` with these parameter names (empty: nothing)."""
    handler = HANDLERS.get(name)
    if handler is None:
        return [f"no service operation named {name!r} (known: {', '.join(sorted(HANDLERS))})"]
    problems = []
    if missing := handler.parameters - given:
        problems.append(f"operation {name!r} needs parameters {sorted(missing)}")
    if unknown := given - handler.parameters:
        problems.append(f"operation {name!r} takes no parameters {sorted(unknown)}")
    return problems


from . import screening  # noqa: E402,F401  (handlers register on import)
