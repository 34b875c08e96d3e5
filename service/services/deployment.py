"""Deploying diagrams: a new version only when a file's content changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from workflows.assignment import lane_problems
from workflows.engine.parser import DiagramError, ParsedDefinition

from ..errors import ServiceError
from ..extensions import db
from ..models import ProcessDefinition
from .engine import engine, now
from .org import org_view


@dataclass(frozen=True)
class Deployed:
    key: str
    version: int
    created: bool


def deploy_directory(directory: str | Path) -> list[Deployed]:
    """Deploy every *.bpmn file of a folder in one transaction: all of them or none."""
    files = sorted(Path(directory).glob("*.bpmn"))
    results = [_deploy(path.stem, path.read_bytes()) for path in files]
    db.session.commit()
    return results


def deploy_xml(key: str, xml: bytes) -> Deployed:
    """Deploy one diagram whose process id must equal `key`."""
    result = _deploy(key, xml)
    db.session.commit()
    return result


def check_diagram(key: str, xml: bytes) -> ParsedDefinition:
    """Parse a diagram and check its lanes against the organisation; raise on any problem."""
    try:
        parsed = engine().specs.get(xml, key)
    except DiagramError as err:
        raise ServiceError("invalid_diagram", f"{key}.bpmn: {err}", 422, field="xml") from err
    org = org_view()
    named = parsed.lane_department_fields
    problems = [p for lane in set(parsed.user_task_lanes.values()) for p in lane_problems(lane, org, named)]
    if problems:
        raise ServiceError("invalid_diagram", f"{key}.bpmn: " + "; ".join(sorted(problems)), 422)
    return parsed


def _deploy(key: str, xml: bytes) -> Deployed:
    parsed = check_diagram(key, xml)
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
    )
    db.session.add(row)
    db.session.flush()
    return Deployed(key, row.version, True)


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
