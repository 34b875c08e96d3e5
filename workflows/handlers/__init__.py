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


class Refused(HandlerError):
    """The answer that led to a service task is not acceptable: the step is refused naming the field.

    The service answers it as bad input (422 naming the field, message in Chinese), not as a broken
    diagram: an item type the active profile does not offer, say.
    """

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


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


def check_parameters(name: str, given: set[str]) -> list[tuple[str, str]]:
    """What is wrong with calling operation `name` with these parameters: (code, Chinese message) pairs."""
    handler = HANDLERS.get(name)
    if handler is None:
        known = "、".join(f"{h.name}（{h.label}）" for h in HANDLERS.values())
        return [("unknown_operation", f"没有名为“{name}”的服务操作，可用的有：{known}")]
    problems = []
    if missing := handler.parameters - given:
        problems.append(("missing_parameters", f"服务操作“{name}”缺少参数 {'、'.join(sorted(missing))}"))
    if unknown := given - handler.parameters:
        problems.append(
            (
                "unknown_parameters",
                f"服务操作“{name}”没有参数 {'、'.join(sorted(unknown))}"
                f"（只接受 {'、'.join(sorted(handler.parameters))}）",
            )
        )
    return problems


from . import approval, screening  # noqa: E402,F401  (handlers register on import)
