"""Injected time: rule code asks a Clock, never the system, so tests can move time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until a test sets or advances it."""

    def __init__(self, start: datetime | str | None = None) -> None:
        self._now = _aware(start) if start is not None else datetime(2026, 1, 5, 1, 0, tzinfo=UTC)

    def now(self) -> datetime:
        """Return the time this clock was last set to."""
        return self._now

    def set(self, moment: datetime | str) -> None:
        """Jump to a given moment (naive datetimes are taken as UTC)."""
        self._now = _aware(moment)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by a timedelta or by timedelta keyword arguments."""
        self._now = self._now + (delta or timedelta(**kwargs))
        return self._now


def _aware(moment: datetime | str) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
