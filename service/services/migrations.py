"""Moving running cases of a diagram to a newer version, a batch at a time, dry run first (issue 12).

Each case goes through case_admin.migrate_case, in its own transaction: one refusal (or a step
taken on a case meanwhile, a 409) is that case's outcome and never undoes the others. A dry run
is the same call rolled back (unit.rehearse), so it cannot disagree with the move.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..errors import ServiceError, invalid, not_found
from ..extensions import db
from ..models import LARGEST_INTEGER, ProcessDefinition, ProcessInstance, User
from . import case_admin
from .definitions import admin_only, storable_key

MAX_CASES = 500  # per call: a larger selection is refused, naming the limit, to be split by version or case


@dataclass(frozen=True)
class Outcome:
    """What happened (or would happen) to one case: `would_move`, `moved` or `refused` with a reason."""

    case_id: int
    tracking_number: str | None
    from_version: int
    to_version: int
    outcome: str
    reason: str | None = None
    renamed: list[dict[str, str]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    items: list[Outcome]
    dry_run: bool

    @property
    def moved(self) -> int:
        return sum(1 for item in self.items if item.outcome != "refused")

    @property
    def refused(self) -> int:
        return len(self.items) - self.moved


@dataclass(frozen=True)
class Selection:
    """Which cases to move (id, tracking number, version), and to which version."""

    to_version: int
    cases: list[tuple[int, str | None, int]]


def migrate_cases(
    user: User, key: str, *, from_version: Any = None, to_version: Any = None, cases: Any = None, dry_run: Any
) -> Report:
    """Move (or, with `dry_run`, rehearse moving) running cases of diagram `key` to `to_version`.

    `from_version`: only cases on that version (default: every older one); `cases`: only these ids.
    """
    admin_only(user)
    if not isinstance(dry_run, bool):
        raise _bad("dry_run", "invalid", "“预演”（dry_run）只能是 true 或 false")
    chosen = select_cases(user, key, from_version=from_version, to_version=to_version, cases=cases)
    return Report([_one(user, case, chosen.to_version, dry_run) for case in chosen.cases], dry_run)


def select_cases(
    user: User, key: str, *, from_version: Any = None, to_version: Any = None, cases: Any = None
) -> Selection:
    """The cases a migration of `key` would take up, checking each part of the selection (reads only)."""
    admin_only(user)
    if not storable_key(key):
        raise not_found("流程图")
    versions = list(db.session.scalars(select(ProcessDefinition.version).where(ProcessDefinition.key == key)))
    if not versions:
        raise not_found("流程图")
    target = max(versions) if to_version is None else _version("to_version", to_version, versions)
    query = (
        select(ProcessInstance.id, ProcessInstance.tracking_number, ProcessDefinition.version)
        .join(ProcessDefinition, ProcessInstance.definition_id == ProcessDefinition.id)
        .where(ProcessDefinition.key == key)
        .order_by(ProcessInstance.id)
    )
    if from_version is not None:
        start = _version("from_version", from_version, versions)
        if start >= target:
            raise _bad("from_version", "not_older", f"原版本须早于目标版本（第 {target} 版）")
        query = query.where(ProcessDefinition.version == start)
    if cases is None:
        query = query.where(ProcessInstance.status == "running", ProcessDefinition.version < target)
    else:
        ids = _case_ids(cases)
        query = query.where(ProcessInstance.id.in_(ids))
    found = [(row[0], row[1], row[2]) for row in db.session.execute(query.limit(MAX_CASES + 1))]
    if cases is not None and from_version is None and len(found) < len(ids):
        missing = sorted(set(ids) - {row[0] for row in found})
        raise _bad("cases", "not_found", f"流程图 {key} 没有这些案件：{'、'.join(map(str, missing[:10]))}")
    if len(found) > MAX_CASES:
        raise _bad("cases", "too_many", f"一次最多迁移 {MAX_CASES} 件案件，请按原版本或案件分批")
    return Selection(target, found)


def _one(user: User, case: tuple[int, str | None, int], to_version: int, dry_run: bool) -> Outcome:
    case_id, tracking_number, from_version = case
    try:
        moved = case_admin.migrate_case(user, case_id, to_version, dry_run=dry_run)
    except ServiceError as err:  # refused, not running, or changed meanwhile (409): this case only
        return Outcome(case_id, tracking_number, from_version, to_version, "refused", err.message)
    outcome = "would_move" if dry_run else "moved"
    return Outcome(
        case_id, tracking_number, moved.from_version, to_version, outcome, None, moved.renamed, moved.tasks
    )


def _version(name: str, value: Any, versions: list[int]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(name, "invalid", "版本号必须是整数")
    if value not in versions:
        raise _bad(name, "version_not_found", f"没有第 {value} 版")
    return value


def _case_ids(cases: Any) -> list[int]:
    if not isinstance(cases, list) or not cases:
        raise _bad("cases", "invalid", "请以案件编号的列表指明要迁移的案件")
    if any(isinstance(c, bool) or not isinstance(c, int) or not 1 <= c <= LARGEST_INTEGER for c in cases):
        raise _bad("cases", "invalid", "案件编号必须是正整数")
    if len(cases) > MAX_CASES:
        raise _bad("cases", "too_many", f"一次最多迁移 {MAX_CASES} 件案件，请分批")
    return sorted(set(cases))


def _bad(name: str, code: str, message: str) -> ServiceError:
    return invalid(message, [{"field": name, "code": code, "message": message}])
