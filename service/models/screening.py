"""The 错敏 word list administrators maintain (PUB-9); workflows.screening searches with it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .org import User
from .types import UTCDateTime


class ScreeningTerm(Base):
    """One term: a wrong or sensitive wording, its category, severity and the correct wording."""

    __tablename__ = "screening_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(100), unique=True)
    category: Mapped[str] = mapped_column(String(50))
    severity: Mapped[str] = mapped_column(String(10))  # serious | minor (workflows.screening.Severity)
    suggestion: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    updated_by: Mapped[User | None] = relationship(lazy="joined")
