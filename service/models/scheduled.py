"""Cases the service opens by itself (issue 14): one row per occurrence of a duty, a reminder or a
request to explain, so that a sweep run twice, or two sweeps at once, opens each case once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .types import UTCDateTime


class ScheduledCase(Base):
    """An occurrence the service has opened a case for: `source` names what asked for it (a recurring
    duty, a stale column, a run of late submissions), `occurrence` which one (e.g. `drill:2026`)."""

    __tablename__ = "scheduled_case"
    __table_args__ = (UniqueConstraint("source", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    occurrence: Mapped[str] = mapped_column(String(200))
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
