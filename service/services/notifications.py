"""A person's in-app notifications."""

from __future__ import annotations

from ..errors import not_found
from ..extensions import db
from ..models import Notification, User
from .engine import now


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of one's own notifications read (someone else's is "not found")."""
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != user.id:
        raise not_found("通知", "notification_not_found")
    if row.read_at is None:
        row.read_at = now()
        db.session.commit()
    return row
