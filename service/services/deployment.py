"""Deploying diagrams: every check `flask validate` makes, then a new version if the content changed.

Every way in (the deploy command, boot.sh, an editor to come) goes through deploy_xml or
deploy_directory, so no diagram `validate` refuses can reach a running case.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from workflows.engine.problems import DiagramProblem
from workflows.engine.validation import validate_diagram
from workflows.profiles import PROFILES

from ..errors import ServiceError
from ..extensions import db
from ..models import ProcessDefinition, User
from . import audit
from .engine import engine, now
from .org import org_view
from .unit import in_transaction


@dataclass(frozen=True)
class Deployed:
    key: str
    version: int
    created: bool


def deploy_directory(directory: str | Path) -> list[Deployed]:
    """Deploy every *.bpmn file of a folder in one transaction: all of them or none.

    Every file is checked before anything is stored; the first one with problems is refused.
    """
    files = sorted(Path(directory).glob("*.bpmn"))
    diagrams = [(path.stem, path.read_bytes()) for path in files]
    refusals = [refusal for key, xml in diagrams if (refusal := _refusal(key, xml)) is not None]
    if refusals:
        raise _with_others(refusals[0], len(refusals) - 1)
    return in_transaction(lambda: [store(key, xml) for key, xml in diagrams])


def deploy_xml(key: str, xml: bytes) -> Deployed:
    """Deploy one diagram whose process id must equal `key`."""
    refusal = _refusal(key, xml)
    if refusal is not None:
        raise refusal
    return in_transaction(lambda: store(key, xml))


def diagram_problems(key: str, xml: bytes) -> list[DiagramProblem]:
    """Everything `flask validate` reports for a diagram, against this organisation and every profile."""
    return validate_diagram(xml, key, org_view(), PROFILES, parse=engine().specs.get)


def _refusal(key: str, xml: bytes) -> ServiceError | None:
    """A 422 listing every problem of the diagram, each naming its element (None: it may be deployed)."""
    problems = diagram_problems(key, xml)
    if not problems:
        return None
    file = f"{key}.bpmn"
    more = f"等 {len(problems)} 处问题" if len(problems) > 1 else ""
    message = f"流程图 {file} 不能部署：{problems[0].message}{more}"
    return ServiceError("invalid_diagram", message, 422, field=file, errors=[p.to_dict() for p in problems])


def _with_others(refusal: ServiceError, others: int) -> ServiceError:
    if others:
        refusal.message += f"（另有 {others} 个流程图也有问题，可用 flask validate 查看全部）"
    return refusal


def store(key: str, xml: bytes, by: User | None = None, comment: str | None = None) -> Deployed:
    """Store a checked diagram as a new version unless it equals the newest (inside a transaction)."""
    parsed = engine().specs.get(xml, key)
    # Compare with the newest version only: going back to older content is a new version too.
    latest = newest_definition(key)
    if latest is not None and latest.content_hash == parsed.content_hash:
        return Deployed(key, latest.version, False)
    row = ProcessDefinition(
        key=key,
        version=(latest.version if latest else 0) + 1,
        name=parsed.name,
        content_hash=parsed.content_hash,
        xml=xml,
        deployed_at=now(),
        deployed_by=by,
        comment=comment,
    )
    db.session.add(row)
    db.session.flush()
    _audit(row, latest, by)
    return Deployed(key, row.version, True)


def _audit(row: ProcessDefinition, latest: ProcessDefinition | None, by: User | None) -> None:
    summary = f"部署流程图“{row.name}”（{row.key}）第 {row.version} 版"
    if row.comment:
        summary += f"：{row.comment}"
    before = None if latest is None else {"version": latest.version, "content_hash": latest.content_hash}
    after = {
        "version": row.version,
        "name": row.name,
        "content_hash": row.content_hash,
        "comment": row.comment,
    }
    audit.record(
        by,
        audit.AuditKind.DIAGRAM_DEPLOYED,
        "process_definition",
        row.key,
        summary,
        before=before,
        after=after,
    )


def newest_definition(key: str) -> ProcessDefinition | None:
    """The newest deployed version of one diagram, if any."""
    query = (
        select(ProcessDefinition)
        .where(ProcessDefinition.key == key)
        .order_by(ProcessDefinition.version.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def latest_definitions() -> list[ProcessDefinition]:
    """The newest version of every deployed diagram."""
    newest = (
        select(ProcessDefinition.key, func.max(ProcessDefinition.version).label("v"))
        .group_by(ProcessDefinition.key)
        .subquery()
    )
    query = select(ProcessDefinition).join(
        newest, (ProcessDefinition.key == newest.c.key) & (ProcessDefinition.version == newest.c.v)
    )
    return list(db.session.scalars(query.order_by(ProcessDefinition.key)))
