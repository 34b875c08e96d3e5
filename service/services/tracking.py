"""Tracking numbers (issue 13): what a case is known by to staff and to the public, e.g.
GK-2026-48120397 — the diagram's prefix, the year, and eight random digits, so that a number tells
nobody how many cases there are or which number the next one will have."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ProcessInstance

T = TypeVar("T")
DIGITS = 8
ATTEMPTS = 3


def free_number(prefix: str, year: int) -> str:
    """A number no case has yet (inside the starting transaction); a taken one is drawn again."""
    while True:
        number = f"{prefix}-{year}-{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
        taken = select(ProcessInstance.id).where(ProcessInstance.tracking_number == number)
        if db.session.scalar(taken) is None:
            return number


def numbered(start: Callable[[], T]) -> T:
    """Run a transaction that starts a case, again if another start took the same number meanwhile
    (both found it free; the unique index refused the later commit, which stored nothing)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return start()
        except IntegrityError as err:
            if "tracking_number" not in str(err.orig) or attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")
