"""The audit chain (issue 14): administrative entries (AuditEntry) and case history (CaseEvent) form
one hash chain. An action writes its rows unsealed in its own transaction, so a step never waits on
the chain; the sealer later gives each pending row, oldest first, the next `seq` and
`hash = sha256(previous hash + canonical JSON of its content)` under the lock of the chain head.
`verify()` walks the chain again and names the first link that does not hold."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import AuditChainHead, AuditEntry, CaseEvent
from .audit_anchor import Anchor, anchor_if_due
from .unit import in_transaction

BATCH = 1000
HEAD = 1  # the chain head's row id
# What a link's hash covers, per table: every column but seq and hash themselves.
FIELDS: dict[str, tuple[str, ...]] = {
    "audit_entry": ("id", "at", "actor_id", "kind", "target_type", "target_id", "summary", "before", "after"),
    "case_event": ("id", "instance_id", "at", "actor_id", "kind", "task_id", "details"),
}
MODELS: dict[str, Any] = {"audit_entry": AuditEntry, "case_event": CaseEvent}


@dataclass(frozen=True)
class Link:
    table: str
    id: int
    seq: int | None
    hash: str | None
    content: dict[str, Any]

    @property
    def at(self) -> str:
        return self.content["at"]


@dataclass(frozen=True)
class Broken:
    """The first link that does not hold: its seq, the row found there (if any) and what differs."""

    seq: int
    table: str | None
    id: int | None
    problem: str


@dataclass(frozen=True)
class Verdict:
    count: int
    head_hash: str
    broken: Broken | None


def canonical(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(previous: str, table: str, seq: int, content: dict[str, Any]) -> str:
    """The hash of one link: its place and content joined to the previous link's hash."""
    body = canonical({"table": table, "seq": seq, **content})
    return hashlib.sha256((previous + body).encode("utf-8")).hexdigest()


def seal() -> int:
    """Seal every pending row, a batch per transaction; returns how many were sealed."""
    sealed = 0
    while True:
        count = in_transaction(_seal_batch)
        sealed += count
        if count < BATCH:
            return sealed


def seal_and_anchor() -> int:
    """The sweep's job: seal what is pending, then anchor the head outside the database when due."""
    sealed = seal()
    anchor_if_due()
    return sealed


def _seal_batch() -> int:
    # Writing the head first takes its lock (a row lock on PostgreSQL, the write lock on SQLite):
    # a second sealer waits here and then reads the head this one leaves.
    db.session.execute(update(AuditChainHead).where(AuditChainHead.id == HEAD).values(seq=AuditChainHead.seq))
    seq, previous = db.session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD)
    ).one()
    pending = sorted(
        (*_links("audit_entry", pending=True), *_links("case_event", pending=True)),
        key=lambda link: (link.at, link.table, link.id),
    )[:BATCH]
    sealed: dict[str, list[dict[str, Any]]] = {"audit_entry": [], "case_event": []}
    for link in pending:
        seq += 1
        previous = link_hash(previous, link.table, seq, link.content)
        sealed[link.table].append({"id": link.id, "seq": seq, "hash": previous})
    for table, rows in sealed.items():
        if rows:
            db.session.execute(update(MODELS[table]), rows)
    db.session.execute(update(AuditChainHead).where(AuditChainHead.id == HEAD).values(seq=seq, hash=previous))
    return len(pending)


def _links(table: str, *, pending: bool = False, first: int = 0, last: int = 0) -> list[Link]:
    model = MODELS[table]
    columns = [getattr(model, name) for name in FIELDS[table]]
    query = select(model.seq, model.hash, *columns)
    if pending:
        query = query.where(model.seq.is_(None)).order_by(model.id).limit(BATCH)
    else:
        query = query.where(model.seq.between(first, last)).order_by(model.seq)
    return [
        Link(table, row.id, row.seq, row.hash, {name: _plain(row._mapping[name]) for name in FIELDS[table]})
        for row in db.session.execute(query)
    ]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def verify(anchors: Sequence[Anchor] = ()) -> Verdict:
    """Recompute the whole chain from its first link; the first one that fails is reported, and so is
    a link whose hash is not what an anchor kept outside the database says (audit_anchor)."""
    kept = {anchor.seq: anchor for anchor in anchors}
    head_seq, head_hash = db.session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD)
    ).one()
    last = max(db.session.scalar(select(func.max(m.seq))) or 0 for m in MODELS.values())
    expected, previous = 1, ""
    for first in range(1, last + 1, BATCH):
        window = first + BATCH - 1
        links = sorted(
            (
                *_links("audit_entry", first=first, last=window),
                *_links("case_event", first=first, last=window),
            ),
            key=lambda link: link.seq or 0,
        )
        for link in links:
            broken = _check(link, expected, previous) or _against(link, kept.get(expected))
            if broken:
                return Verdict(expected - 1, previous, broken)
            previous = link.hash or ""
            expected += 1
    count = expected - 1
    beyond = max(kept, default=0)
    if beyond > count:
        problem = (
            f"外部锚点（{kept[beyond].at}）记录审计链已有 {beyond} 条，现只有 {count} 条（末尾的记录被删除）"
        )
        return Verdict(count, previous, Broken(count + 1, None, None, problem))
    if (count, previous) != (head_seq, head_hash):
        problem = (
            f"链头记录共 {head_seq} 条、末尾哈希 {head_hash[:12]}，"
            f"实际找到 {count} 条、末尾哈希 {previous[:12]}（末尾的记录被删除或改动）"
        )
        return Verdict(
            count, previous, Broken(count + 1 if count < head_seq else head_seq, None, None, problem)
        )
    return Verdict(count, previous, None)


def _against(link: Link, anchor: Anchor | None) -> Broken | None:
    if anchor is None or anchor.hash == link.hash:
        return None
    return Broken(
        link.seq or 0,
        link.table,
        link.id,
        f"与外部锚点（{anchor.at}）不符：锚点哈希 {anchor.hash[:12]}…，链中哈希 {(link.hash or '')[:12]}…"
        "（此条或之前的记录被改写，其后的哈希被重算）",
    )


def _check(link: Link, expected: int, previous: str) -> Broken | None:
    if link.seq != expected:
        if (link.seq or 0) > expected:
            return Broken(
                expected,
                None,
                None,
                f"缺少第 {expected} 条（下一条是 {link.table} #{link.id}，序号 {link.seq}）",
            )
        return Broken(expected - 1, link.table, link.id, f"序号 {link.seq} 重复")
    computed = link_hash(previous, link.table, expected, link.content)
    if computed != link.hash:
        return Broken(
            expected,
            link.table,
            link.id,
            f"存储的哈希 {(link.hash or '')[:12]}… 与按内容重算的 {computed[:12]}… 不符"
            "（此条的内容或哈希被改动）",
        )
    return None
