"""Deadlines and what acting on them leaves behind: the calendar corrections an administrator
enters, the running clocks of cases and tasks, in-app notifications and the outgoing-message box."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .types import UTCDateTime


class CalendarDay(Base):
    """A day an administrator entered: a holiday or a make-up workday (ESC-2, NAT-8)."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(String(200), default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CalendarYear(Base):
    """A year whose official working days an administrator has entered completely (NAT-8)."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Deadline(Base):
    """One running clock: a case's (task_id NULL) or a task's, named after a profile deadline.

    The period is copied from the profile when the clock starts, so a case keeps the rule it
    started under. `next_action_at` is the next reminder or escalation moment; the sweep finds
    due clocks through the (status, next_action_at) index, never by scanning open cases.
    """

    __tablename__ = "deadline"
    __table_args__ = (Index("ix_deadline_status_next_action", "status", "next_action_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100))
    amount: Mapped[int]
    unit: Mapped[str] = mapped_column(String(10))
    extension: Mapped[int] = mapped_column(default=0)
    started_on: Mapped[date] = mapped_column(Date)
    # A date the deadline may not pass whatever the period says (the reply date a transfer
    # document sets for a proposal, PRO-1); an approved extension counts on from it.
    latest_on: Mapped[date | None] = mapped_column(Date)
    pauses: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[start, end or null], ...]
    # Calendar days ending on a holiday roll to the next working day (ESC-2) unless the rule says
    # natural days (ERR-2). A stricter local target in another unit (PET-2, PUB-13) is copied too;
    # due_on is the earlier of the two dates, kept both so a case shows both.
    rolls: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    target_amount: Mapped[int | None]
    target_unit: Mapped[str | None] = mapped_column(String(10))
    ceiling_due_on: Mapped[date | None] = mapped_column(Date)
    target_due_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    provisional: Mapped[bool] = mapped_column(default=False)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalate_at: Mapped[list[Any]] = mapped_column(JSON, default=list)  # ISO moments, one per level
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    level: Mapped[int] = mapped_column(default=0)  # escalations done (ESC-1)
    next_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When a sweep handed this clock's job out and no job has finished it since (issue 15): later
    # sweeps pass over the clock until then or until the requeue window runs out (services.handout).
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # running | paused, then closed as one of workflows.sla.ENDINGS: met (its step was done, in time or not),
    # or the case ended otherwise: abandoned (NAT-2), withdrawn, returned (not accepted), cancelled.
    status: Mapped[str] = mapped_column(String(12))
    # A clock on someone outside the agency's staff (a petitioner's request window, the higher
    # organ's review, NAT-5): shown on the case, never reminded or escalated, never the case's due.
    waiting: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Only on met clocks: kept by closed_at, and else late by so many working days (a workday
    # period) or days (calendar days and months), see workflows.sla.kept.
    on_time: Mapped[bool | None] = mapped_column()
    late_by: Mapped[int | None] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Notification(Base):
    """An in-app message to one person; `key` makes each effect happen once."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutgoingMessage(Base):
    """An e-mail or SMS written in the same transaction as its cause and sent afterwards (outbox)."""

    __tablename__ = "outgoing_message"
    __table_args__ = (Index("ix_outgoing_message_sent", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(10))  # mail | sms
    address: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
