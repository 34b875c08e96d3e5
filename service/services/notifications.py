"""A person's in-app notifications."""

from __future__ import annotations

from sqlalchemy import func, select, update

from ..errors import not_found
from ..extensions import db
from ..models import Notification, ProcessInstance, User
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


def mark_all_read(user: User) -> int:
    """Mark all of one's unread notifications read; how many were unread."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now())
    )
    db.session.commit()
    return result.rowcount  # type: ignore[attr-defined]


def unread_count(user: User) -> int:
    """How many of one's notifications are unread (the badge in the pages' header)."""
    count = db.session.scalar(
        select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    return count or 0


def tracking_numbers(rows: list[Notification]) -> dict[int, str | None]:
    """The tracking number of each case these notifications are about, by case id."""
    ids = {row.instance_id for row in rows if row.instance_id is not None}
    if not ids:
        return {}
    found = db.session.execute(
        select(ProcessInstance.id, ProcessInstance.tracking_number).where(ProcessInstance.id.in_(ids))
    )
    return {instance_id: number for instance_id, number in found}
