"""The public's key to a case they submitted (issue 13, REQ-5): its query code, stored hashed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
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
