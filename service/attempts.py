"""Limits on guessing (issue 15): wrong bearer tokens and failed log-ins, counted per address in the
rate limiter's storage (Redis when REDIS_URL is set, every node sees the same counts; memory else).

Only failures count. Once an address is over its limit, every further attempt from it is refused
until the window has passed, a right token or password included: were a right guess let through,
the 429s would tell an attacker which guess was right. Other addresses are not affected, and the
per-account lock-out (ORG-2, accounts.log_in) keeps working beside this.

When the storage cannot be reached (Redis down) the attempt is let through and logged: a dead Redis
must not lock every person out (the limiter itself falls back to memory for its own limits).
"""

from __future__ import annotations

import logging
import math
import time

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.strategies import RateLimiter

log = logging.getLogger("govflow.attempts")
BAD_TOKEN = "GOVFLOW_BAD_TOKEN_LIMIT"
LOGIN = "GOVFLOW_LOGIN_LIMIT"


class TooManyFailures(Exception):
    """An address is over a failure limit; `retry_after` in whole seconds."""

    def __init__(self, kind: str, retry_after: int, allowed: RateLimitItem):
        super().__init__(kind)
        self.kind = kind
        self.retry_after = retry_after
        self.allowed = allowed


def refuse_if_limited(kind: str) -> None:
    """Raise TooManyFailures when this request's address is over the `kind` limit."""
    address = get_remote_address()
    try:
        for item in _items(kind):
            if not _counter().test(item, kind, address):
                reset, _ = _counter().get_window_stats(item, kind, address)
                raise TooManyFailures(kind, max(1, math.ceil(reset - time.time())), item)
    except TooManyFailures:
        raise
    except Exception:  # noqa: BLE001 - storage unreachable: let the attempt through (see above)
        log.warning("failure limit %s not checked: the limiter's storage is unreachable", kind)


def count_failure(kind: str) -> None:
    """Count one failed attempt from this request's address against the `kind` limit."""
    address = get_remote_address()
    try:
        for item in _items(kind):
            _counter().hit(item, kind, address)
    except Exception:  # noqa: BLE001 - as in refuse_if_limited
        log.warning("failure limit %s not counted: the limiter's storage is unreachable", kind)


def _counter() -> RateLimiter:
    """The public pages' limiter's counting (web/public/guard.py), with its storage and fallback."""
    from .web.public.guard import limiter  # here: service.web imports this module

    return limiter.limiter


def _items(kind: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[kind])
