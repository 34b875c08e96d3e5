"""抄送: a case copied to people who only read it, and whether they have."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .org import User
from .process import HumanTask, ProcessInstance
from .types import UTCDateTime

UNREAD = text("read_at IS NULL")


class CaseCopy(Base):
    """One copy of a case to one reader; `task_id` is the step it was sent from (None: the case)."""

    __tablename__ = "case_copy"
    __table_args__ = (
        # A person holds at most one unread copy of a case: copying them again adds nothing, also
        # when two senders copy them at the same moment.
        Index(
            "uq_case_copy_unread",
            "instance_id",
            "recipient_id",
            unique=True,
            postgresql_where=UNREAD,
            sqlite_where=UNREAD,
        ),
        Index("ix_case_copy_recipient_read", "recipient_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    instance: Mapped[ProcessInstance] = relationship()
    task: Mapped[HumanTask | None] = relationship()
    sender: Mapped[User] = relationship(foreign_keys=[sender_id], lazy="joined")
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id], lazy="joined")
