"""Deployed diagrams, running cases, the inbox projection of their human tasks, and case history."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .org import Department, User
from .types import UTCDateTime

if TYPE_CHECKING:
    from .deadlines import Deadline


class ProcessDefinition(Base):
    """One version of a diagram; a new version only when its content changes."""

    __tablename__ = "process_definition"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    xml: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # parsed once, cached by hash
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Who deployed it (None: `flask deploy` or boot.sh) and what they said about it.
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    comment: Mapped[str | None] = mapped_column(String(200))

    deployed_by: Mapped[User | None] = relationship()


class ProcessInstance(Base):
    """A case. `version` guards against lost updates: a stale write raises StaleDataError."""

    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"), index=True)
    tracking_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # running | completed
    owning_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_provisional: Mapped[bool] = mapped_column(default=False)
    clock_paused: Mapped[bool] = mapped_column(default=False)
    # The earliest moment a timer event of the workflow fires: the sweep's index into due timers.
    next_timer_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # When a sweep handed out the job firing those timers, until it finished (services.handout).
    timers_queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    definition: Mapped[ProcessDefinition] = relationship(lazy="joined")
    owning_department: Mapped[Department | None] = relationship(lazy="joined")
    started_by: Mapped[User | None] = relationship()


# What the inbox scopes test besides the order (services/queries.py, services/org.acts_for_clause).
SCOPE_COLUMNS = ["department_id", "role", "barred_user_id", "assignee_id", "delegate_id"]


class HumanTask(Base):
    """The inbox projection of a user task: list views read only this table."""

    __tablename__ = "human_task"
    __table_args__ = (
        # A department's and a person's done tasks pile up for years: both lists (newest first) walk
        # these backwards and stop at the page, instead of sorting every done task (migration 0029).
        Index("ix_human_task_dept_done_order", "department_id", "status", "completed_at", "id"),
        Index("ix_human_task_assignee_status", "assignee_id", "status"),
        # The inbox's order (issue 15): open tasks by deadline, none last (ASC puts NULLs last on
        # PostgreSQL), then oldest, then id; the database walks it and stops at the page's end.
        # Not partial: a prepared statement's generic plan (status = $1) could not use a partial one.
        # The columns the scopes filter on ride along (PostgreSQL INCLUDE): a department's or a
        # leader's walk along the order tests them in the index and reads only the page's rows.
        Index(
            "ix_human_task_status_order",
            "status",
            "due_at",
            "created_at",
            "id",
            postgresql_include=SCOPE_COLUMNS,
        ),
        Index("ix_human_task_completed_by_order", "completed_by_id", "status", "completed_at", "id"),
        Index("ix_human_task_delegate_status", "delegate_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    spiff_task_id: Mapped[str] = mapped_column(String(36), unique=True)
    task_spec: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(100))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    role: Mapped[str | None] = mapped_column(String(32))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20))  # open | done | cancelled | withdrawn
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_provisional: Mapped[bool] = mapped_column(default=False)
    escalation_level: Mapped[int] = mapped_column(default=0)
    # False: the task has no deadline of its own and shows its case's (the applicant's clock).
    has_clock: Mapped[bool] = mapped_column(default=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Four eyes: the person whose work this task approves (the drafter) may not claim or complete it.
    barred_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # When someone who may act on the task first opened it: the step that made it can no longer
    # be withdrawn (撤回) from then on.
    first_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # 委派: the colleague the holder (assignee) handed the task to, until they hand it back. The
    # task stays the assignee's for deadlines and statistics. In force only while the task is open.
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    delegated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the delegate handed back: {"data": draft answer, "note", "by": user id, "at": ISO moment}.
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # 催办: how often people urged the holder, and when last (ESC-1).
    urge_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_urged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    instance: Mapped[ProcessInstance] = relationship(lazy="joined")
    department: Mapped[Department] = relationship(lazy="joined")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id], lazy="joined")
    # Loaded when asked for (lists load it with selectinload): most tasks are never delegated.
    delegate: Mapped[User | None] = relationship(foreign_keys=[delegate_id])
    # The task's own deadline (has_clock), read for how it ended: lists load it with selectinload.
    own_clock: Mapped[Deadline | None] = relationship(
        primaryjoin="HumanTask.id == foreign(Deadline.task_id)", viewonly=True, uselist=False
    )

    @property
    def delegated(self) -> bool:
        """Is a delegation in force? A task completed or cancelled has ended any delegation."""
        return self.status == "open" and self.delegate_id is not None


class CaseEvent(Base):
    """One line of a case's history: who did what, when (ORG-4)."""

    __tablename__ = "case_event"
    # The audit log lists every case's history newest first, and by person (issue 14).
    __table_args__ = (Index("ix_case_event_at", "at"), Index("ix_case_event_actor_at", "actor_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Its place in the audit chain and the link's hash, set once by the sealer (issue 14).
    seq: Mapped[int | None] = mapped_column(index=True, unique=True)
    hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship(lazy="joined")
