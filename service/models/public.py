"""The public side's own tables (issue 13): the key to a case a citizen submitted (REQ-5), its query
code stored hashed, and the letters and replies published to everyone (MBX-4)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .process import ProcessInstance
from .types import UTCDateTime


class PublicAccess(Base):
    """One case submitted through the public pages: which form it came from, and the SHA-256 of the
    query code shown once to the submitter (the code itself is never stored)."""

    __tablename__ = "public_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), unique=True)
    channel: Mapped[str] = mapped_column(
        String(32)
    )  # disclosure | mailbox | consultation | petition | error_report
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    instance: Mapped[ProcessInstance] = relationship(lazy="joined")


class PublishedReply(Base):
    """A leader-mailbox letter and its reply published to everyone (MBX-4), copied when 审核上网并答复来信人
    completes with 在网站公开 and the writer's consent: what the public list shows, and nothing else."""

    __tablename__ = "published_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    letter: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(100))  # the answering department's name then
    published_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
