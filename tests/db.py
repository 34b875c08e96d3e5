"""Test database helpers."""

from sqlalchemy import delete


def delete_cases():
    """Remove every case with its tasks and history (children first, as foreign keys demand)."""
    from service.extensions import db
    from service.models import (
        CaseEvent,
        Deadline,
        HumanTask,
        Notification,
        OutgoingMessage,
        ProcessInstance,
    )

    db.session.rollback()
    for model in (Notification, OutgoingMessage, Deadline, CaseEvent, HumanTask, ProcessInstance):
        db.session.execute(delete(model))
    db.session.commit()
