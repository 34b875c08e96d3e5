"""Figures the office enters for the annual disclosure report (STAT-3, NAT-3, NAT-4): the cells the
service cannot count from cases (规章 issued, 行政许可 decisions, 复议 and 诉讼 outcomes, the text of
sections 五 and 六), one row per year and cell, with who entered it and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .types import UTCDateTime


class DisclosureReportEntry(Base):
    """One entered cell; `version` guards against two people changing it at once (409)."""

    __tablename__ = "disclosure_report_entry"
    __table_args__ = (UniqueConstraint("year", "key", name="uq_disclosure_report_entry_year_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    key: Mapped[str] = mapped_column(String(40))  # workflows.disclosure_report.number_keys / text_keys
    number: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)
