"""Writing the administrative audit log (ORG-4): one call per administrative change, inside the
transaction that makes the change, so the entry and the change commit or roll back together."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import AuditEntry, User
from .engine import now

MAX_SUMMARY = 500


def record(
    actor: User | None,
    kind: str,
    target_type: str,
    target_id: Any,
    summary: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one entry: who (None: the system or a command line), what kind of change, to what, a line
    saying it in Chinese, and the state before and after where it matters."""
    db.session.add(
        AuditEntry(
            at=now(),
            actor_id=actor.id if actor else None,
            kind=kind,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            summary=summary[:MAX_SUMMARY],
            before=before,
            after=after,
        )
    )
