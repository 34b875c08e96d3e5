"""Test database helpers."""

from sqlalchemy import delete, text, update


def allow_audit_purge():
    """Let this transaction delete audit and history rows, which the database otherwise refuses
    (migration 0021): PostgreSQL reads a transaction-local setting, SQLite looks for a temporary
    table of this connection. The service never does either; call forbid_audit_purge() before the
    commit on SQLite (PostgreSQL forgets the setting at the end of the transaction)."""
    from service.extensions import db

    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL govflow.audit_purge = 'on'"))
    else:
        db.session.execute(text("CREATE TEMP TABLE IF NOT EXISTS govflow_audit_purge (x INTEGER)"))


def forbid_audit_purge():
    from service.extensions import db

    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(text("DROP TABLE IF EXISTS temp.govflow_audit_purge"))


def delete_audit_entries():
    """Remove every administrative audit entry (a test that counts the ones it causes)."""
    from service.extensions import db
    from service.models import AuditEntry

    allow_audit_purge()
    db.session.execute(delete(AuditEntry))
    forbid_audit_purge()
    db.session.commit()


def delete_cases():
    """Remove every case with its tasks, clocks and history, and any calendar days or annual-report
    figures a test entered."""
    from service.extensions import db
    from service.models import (
        Attachment,
        AuditChainHead,
        AuditEntry,
        CalendarDay,
        CalendarYear,
        CaseCopy,
        CaseEvent,
        Deadline,
        DisclosureReportEntry,
        HumanTask,
        LoginFailure,
        Notification,
        Opinion,
        OutgoingMessage,
        ProcessInstance,
        PublicAccess,
        PublishedReply,
        ScheduledCase,
    )
    from service.services.calendar import forget_calendar

    db.session.rollback()
    allow_audit_purge()
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
        ScheduledCase,
        ProcessInstance,
    )
    # Failed log-ins too: every test logs in from the same address at the same moments.
    for model in (*models, CalendarDay, CalendarYear, DisclosureReportEntry, LoginFailure):
        db.session.execute(delete(model))
    # The chain starts again with the rows the next test writes.
    db.session.execute(update(AuditChainHead).values(seq=0, hash=""))
    forbid_audit_purge()
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
