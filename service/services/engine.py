"""The process engine the app holds: runner, parsed-diagram cache, clock and agency profile."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, g

from workflows.clock import Clock, FixedClock
from workflows.engine.parser import ParsedDefinition, SpecCache
from workflows.engine.runner import ProcessRunner
from workflows.profiles import Profile

from ..models import ProcessDefinition


@dataclass
class Engine:
    clock: Clock
    profile: Profile
    runner: ProcessRunner = field(default_factory=ProcessRunner)
    specs: SpecCache = field(default_factory=SpecCache)

    def definition(self, row: ProcessDefinition) -> ParsedDefinition:
        """The parsed diagram of a deployed version (parsed once per content hash)."""
        cached = self.specs.cached(row.content_hash)
        return cached if cached is not None else self.specs.get(row.xml, row.key)


def engine() -> Engine:
    """The engine of the running app."""
    return current_app.extensions["govflow"]


def clock() -> Clock:
    """The app's clock, or a fixed moment a sweep or job was asked to run at (see `clock_at`)."""
    moment = g.get("govflow_now")
    return FixedClock(moment) if moment is not None else engine().clock


def now() -> datetime:
    """The current time on the app's clock."""
    return clock().now()


@contextmanager
def clock_at(moment: datetime | None) -> Iterator[None]:
    """Within this app context, act as if it were `moment` (None: the app's own clock)."""
    previous = g.pop("govflow_now", None)
    if moment is not None:
        g.govflow_now = moment
    try:
        yield
    finally:
        g.pop("govflow_now", None)
        if previous is not None:
            g.govflow_now = previous
