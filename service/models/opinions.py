"""审批意见 as rows of their own: who said what, when, at which step of a case (issue 11)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .org import Department, User
from .types import UTCDateTime


class OpinionKind(StrEnum):
    """What an opinion was given with. The Chinese words people read are in services/opinions."""

    APPROVAL = "approval"  # the answer that completed a step
    TRANSFER = "transfer"  # the reason a task was sent to another department (转办)


class Opinion(Base):
    """One opinion: the step's name, department and author as they were when it was given.

    The step name and department are copies, so a later rename or transfer does not rewrite what
    was said where. `verdict` is the decision (同意 / 退回修改 …) when the step decides one.
    """

    __tablename__ = "opinion"
    __table_args__ = (Index("ix_opinion_instance_at", "instance_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"), index=True)
    step: Mapped[str] = mapped_column(String(200))
    task_spec: Mapped[str | None] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text, default="")
    verdict: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=OpinionKind.APPROVAL)

    department: Mapped[Department | None] = relationship(lazy="joined")
    author: Mapped[User | None] = relationship(lazy="joined")
