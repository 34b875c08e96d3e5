"""Test database helpers."""

from sqlalchemy import delete


def delete_cases():
    """Remove every case with its tasks, clocks and history, and any calendar days a test entered."""
    from service.extensions import db
    from service.models import (
        CalendarDay,
        CalendarYear,
        CaseEvent,
        Deadline,
        HumanTask,
        Notification,
        OutgoingMessage,
        ProcessInstance,
    )
    from service.services.calendar import forget_calendar

    db.session.rollback()
    models = (Notification, OutgoingMessage, Deadline, CaseEvent, HumanTask, ProcessInstance)
    for model in (*models, CalendarDay, CalendarYear):
        db.session.execute(delete(model))
    db.session.commit()
    forget_calendar()  # the days a test entered must not leak into the next one
