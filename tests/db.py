"""Test database helpers."""

from sqlalchemy import delete


def delete_cases():
    """Remove every case with its tasks, clocks and history, and any calendar days a test entered."""
    from service.extensions import db
    from service.models import (
        Attachment,
        AuditEntry,
        CalendarDay,
        CalendarYear,
        CaseCopy,
        CaseEvent,
        Deadline,
        HumanTask,
        LoginFailure,
        Notification,
        Opinion,
        OutgoingMessage,
        ProcessInstance,
        PublicAccess,
        PublishedReply,
    )
    from service.services.calendar import forget_calendar

    db.session.rollback()
    models = (
        CaseCopy,
        Notification,
        OutgoingMessage,
        Deadline,
        CaseEvent,
        Opinion,
        Attachment,
        AuditEntry,
        HumanTask,
        PublicAccess,
        PublishedReply,
        ProcessInstance,
    )
    # Failed log-ins too: every test logs in from the same address at the same moments.
    for model in (*models, CalendarDay, CalendarYear, LoginFailure):
        db.session.execute(delete(model))
    db.session.commit()
    forget_calendar()  # the days a test entered must not leak into the next one


def restore_starter_terms():
    """Put the 错敏 word list back to the shipped starter list (tests that change it call this after)."""
    from sqlalchemy import select

    from service.extensions import db
    from service.models import User
    from service.services import screening
    from service.services.screening_files import read_rows

    admin = db.session.scalar(select(User).where(User.username == "admin"))
    screening.import_terms(admin, read_rows(screening.STARTER_LIST), replace=True)
