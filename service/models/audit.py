"""The audit log (ORG-4, issues 12 and 14): every administrative change, who made it, when, and what
was before and after. Rows are only ever added; the database refuses a change or a removal (migration
0021). Each row is written unsealed and sealed later into the one hash chain it shares with the case
history (CaseEvent): `seq` is its place in the chain, `hash` covers its content and the previous
link (services/audit_chain.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .org import User
from .types import UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40), index=True)  # e.g. diagram_deployed, user_deactivated
    target_type: Mapped[str] = mapped_column(String(40))  # user, department, process_definition, case, …
    target_id: Mapped[str | None] = mapped_column(String(100))  # its id or key, as text
    summary: Mapped[str] = mapped_column(String(500))  # one line in Chinese
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    seq: Mapped[int | None] = mapped_column(index=True, unique=True)  # None until sealed
    hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship(lazy="joined")


class AuditChainHead(Base):
    """The one row that says where the chain ends: the last seq given and its hash. Sealers take
    its lock, so entries are sealed by one sealer at a time while actions write without waiting."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")
