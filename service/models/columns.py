"""The register of the website's columns (COL-1..4): who keeps each one, how often it must be
updated and when it last was."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .org import Department, User
from .types import UTCDateTime


class SiteColumn(Base):
    """One column: its name and unique path, level (1 = top), kind (workflows.profiles.columns.KINDS),
    the one responsible department (COL-1), a stricter interval than its kind's if set (COL-3),
    its last update, and whether it is open."""

    __tablename__ = "site_column"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    path: Mapped[str] = mapped_column(String(200), unique=True)
    level: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    interval_days: Mapped[int | None] = mapped_column()  # None: the profile's interval for the kind
    content_plan: Mapped[str] = mapped_column(Text, default="")
    last_update: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)  # open | closed
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    department: Mapped[Department] = relationship(lazy="joined")
    updated_by: Mapped[User | None] = relationship(lazy="joined")
