"""Anchors of the audit chain outside the database (issue 14): now and then the sealer appends the
chain's last seq and hash to a file the operator keeps elsewhere (GOVFLOW_AUDIT_ANCHORS: another
disk, a mounted share, a path a log shipper reads). Someone who rewrites sealed rows and recomputes
every later hash and the head passes the chain's own check, but not an anchor taken before: the
hash at an anchored seq no longer matches, or the chain is shorter than an anchor says.

The file holds one JSON object a line ({"seq", "hash", "at"}); a line that is not one is a problem
`audit verify` names, not something it skips.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import AuditChainHead
from .engine import now

HEAD = 1


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str


class AnchorFileError(ValueError):
    """The anchors file has a line that is not an anchor; the message names the line."""


def anchors_path() -> Path | None:
    value = current_app.config.get("GOVFLOW_AUDIT_ANCHORS")
    return Path(value) if value else None


def read(path: Path) -> list[Anchor]:
    """The anchors written so far, in file order; AnchorFileError on a line that is not one."""
    if not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            found.append(Anchor(int(item["seq"]), str(item["hash"]), str(item["at"])))
        except (ValueError, KeyError, TypeError) as err:
            raise AnchorFileError(f"锚点文件 {path} 第 {number} 行不是锚点：{line[:80]}") from err
    return found


def anchor_if_due(every: timedelta | None = None) -> Anchor | None:
    """Append the chain head to the anchors file when it moved on and the last anchor is older than
    `every` (GOVFLOW_AUDIT_ANCHOR_MINUTES, an hour by default); the anchor written, or None."""
    path = anchors_path()
    if path is None:
        return None
    minutes = current_app.config.get("GOVFLOW_AUDIT_ANCHOR_MINUTES", 60)
    every = every if every is not None else timedelta(minutes=minutes)
    seq, hash_ = db.session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD)
    ).one()
    db.session.rollback()
    written = read(path)
    last = written[-1] if written else None
    moment = now()
    if seq == 0 or (last is not None and last.seq >= seq):
        return None
    if last is not None and datetime.fromisoformat(last.at) + every > moment:
        return None
    anchor = Anchor(seq, hash_, moment.isoformat())
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"seq": anchor.seq, "hash": anchor.hash, "at": anchor.at}) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return anchor
