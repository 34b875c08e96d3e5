"""The process engine the app holds: runner, parsed-diagram cache and clock."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from workflows.clock import Clock
from workflows.engine.parser import ParsedDefinition, SpecCache
from workflows.engine.runner import ProcessRunner

from ..models import ProcessDefinition


@dataclass
class Engine:
    clock: Clock
    runner: ProcessRunner = field(default_factory=ProcessRunner)
    specs: SpecCache = field(default_factory=SpecCache)

    def definition(self, row: ProcessDefinition) -> ParsedDefinition:
        """The parsed diagram of a deployed version (parsed once per content hash)."""
        cached = self.specs.cached(row.content_hash)
        return cached if cached is not None else self.specs.get(row.xml, row.key)


def engine() -> Engine:
    """The engine of the running app."""
    return current_app.extensions["govflow"]


def now():
    """The current time on the app's clock."""
    return engine().clock.now()
