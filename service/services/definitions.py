"""Administrators' diagram versions: check and deploy an uploaded diagram, list versions, compare two.

An upload goes through the same checks as `flask validate` and `flask deploy` (deployment.py);
a refused diagram stores nothing. The process id in the XML is the diagram's key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from workflows.engine.diff import DiagramDiff, diagram_diff
from workflows.engine.parser import MAX_DIAGRAM_BYTES, NSMAP, load_xml
from workflows.engine.problems import DiagramError, DiagramProblem, at

from ..errors import ServiceError, conflict, forbidden, invalid, not_found
from ..extensions import db
from ..models import ProcessDefinition, ProcessInstance, User
from . import deployment
from .engine import engine
from .unit import in_transaction

MAX_COMMENT = 200
MAX_KEY = 100  # process_definition.key


@dataclass(frozen=True)
class Checked:
    key: str | None
    problems: list[DiagramProblem]


@dataclass(frozen=True)
class Version:
    row: ProcessDefinition
    running_cases: int


def check_diagram(user: User, xml: Any) -> Checked:
    """Every problem of an uploaded diagram, and its key (None: no one process to read). Stores nothing."""
    admin_only(user)
    return _checked(_xml_bytes(xml))


def deploy_diagram(user: User, xml: Any, comment: Any = None) -> tuple[ProcessDefinition, bool]:
    """Deploy an uploaded diagram as the newest version of its key; (row, False) when it equals the newest."""
    admin_only(user)
    note = _comment(comment)
    content = _xml_bytes(xml)
    checked = _checked(content)
    if checked.problems or checked.key is None:
        raise _refusal(checked.problems)
    key = checked.key
    try:
        deployed = in_transaction(lambda: deployment.store(key, content, user, note))
    except IntegrityError as err:  # another deploy of the same key took this version number meanwhile
        raise conflict("该流程图刚被其他人部署，请刷新后重试", "concurrent_deploy") from err
    return _version_row(key, deployed.version), deployed.created


def versions(user: User, key: str) -> list[Version]:
    """Every version of one diagram, newest first, with how many cases still run on each."""
    admin_only(user)
    if not storable_key(key):
        raise not_found("流程图")
    rows = list(
        db.session.scalars(
            select(ProcessDefinition)
            .where(ProcessDefinition.key == key)
            .order_by(ProcessDefinition.version.desc())
        )
    )
    if not rows:
        raise not_found("流程图")
    running = running_cases([row.id for row in rows])
    return [Version(row, running.get(row.id, 0)) for row in rows]


def diagrams(user: User) -> list[tuple[ProcessDefinition, list[Version]]]:
    """The newest version of every diagram, with the versions cases still run on."""
    admin_only(user)
    newest = deployment.latest_definitions()
    rows = list(db.session.scalars(select(ProcessDefinition).order_by(ProcessDefinition.version.desc())))
    running = running_cases([row.id for row in rows])
    return [
        (latest, [Version(r, running[r.id]) for r in rows if r.key == latest.key and running.get(r.id)])
        for latest in newest
    ]


def version_xml(user: User, key: str, version: int) -> bytes:
    """The XML of one version, as it was deployed."""
    admin_only(user)
    return _version_row(key, version).xml


def diff_versions(user: User, key: str, before: int, after: int) -> DiagramDiff:
    """What changed from one version of a diagram to another."""
    admin_only(user)
    return diagram_diff(_version_row(key, before).xml, _version_row(key, after).xml)


def running_cases(definition_ids: list[int]) -> dict[int, int]:
    """How many running cases each of these definition versions has."""
    if not definition_ids:
        return {}
    query = (
        select(ProcessInstance.definition_id, func.count())
        .where(ProcessInstance.definition_id.in_(definition_ids), ProcessInstance.status == "running")
        .group_by(ProcessInstance.definition_id)
    )
    return {definition_id: count for definition_id, count in db.session.execute(query)}


def admin_only(user: User) -> None:
    if not user.is_admin:
        raise forbidden("只有管理员可以管理流程图", "admin_only")


def _checked(xml: bytes) -> Checked:
    try:
        parsed = engine().specs.get(xml)
    except DiagramError as err:
        return Checked(_readable_key(xml), _located(xml, list(err.problems)))
    key = parsed.process_id
    if len(key) > MAX_KEY:
        process = load_xml(xml).find(f".//bpmn:process[@id='{key}']", NSMAP)
        return Checked(None, [at(process, "key_too_long", f"流程的 id 不能超过 {MAX_KEY} 个字符")])
    return Checked(key, deployment.diagram_problems(key, xml))


def _located(xml: bytes, problems: list[DiagramProblem]) -> list[DiagramProblem]:
    """A diagram made by another tool usually marks its processes not executable: name each of them,
    then list what else would stop it once marked, so the editor flags everything there is to add."""
    if [p.code for p in problems] != ["not_one_process"]:
        return problems
    root = load_xml(xml)
    processes = root.findall(".//bpmn:process", NSMAP)
    idle = [p for p in processes if p.get("isExecutable") != "true"]
    if len(processes) > 1:
        names = "、".join(p.get("name") or p.get("id") or "（无名）" for p in processes)
        detail = f"流程图含 {len(processes)} 个流程（{names}）：本服务一个文件只运行一个流程，"
        detail += "请各存为一个文件"
        return [DiagramProblem(None, None, "not_one_process", detail)]
    if not idle:
        return problems
    detail = '未标记为可执行（isExecutable="true"）：本服务只运行可执行流程，补齐泳道、表单等后再标记'
    first = at(idle[0], "not_executable", detail)
    idle[0].set("isExecutable", "true")
    return [first, *_checked(etree.tostring(root.getroottree())).problems]


def _readable_key(xml: bytes) -> str | None:
    """The id of the diagram's only process, when the XML can be read at all (for the editor's title)."""
    try:
        processes = load_xml(xml).findall(".//bpmn:process", NSMAP)
    except DiagramError:
        return None
    key = processes[0].get("id") if len(processes) == 1 else None
    return key if key and len(key) <= MAX_KEY else None


def _xml_bytes(xml: Any) -> bytes:
    if not isinstance(xml, str) or not xml.strip():
        raise invalid("请提供流程图的 XML 文本", [_field_error("xml", "required", "请提供流程图的 XML 文本")])
    content = xml.encode("utf-8")
    if len(content) > MAX_DIAGRAM_BYTES:
        message = f"流程图文件超过 {MAX_DIAGRAM_BYTES // 1024 // 1024} MB，请拆分或精简"
        raise ServiceError("diagram_too_large", message, 413, field="xml")
    return content


def _comment(comment: Any) -> str | None:
    if comment is None or comment == "":
        return None
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        message = f"部署说明须是不超过 {MAX_COMMENT} 个字的文字"
        raise invalid(message, [_field_error("comment", "invalid_comment", message)])
    return comment.strip() or None


def _refusal(problems: list[DiagramProblem]) -> ServiceError:
    more = f"等 {len(problems)} 处问题" if len(problems) > 1 else ""
    message = f"流程图不能部署：{problems[0].message}{more}" if problems else "流程图不能部署"
    return ServiceError("invalid_diagram", message, 422, field="xml", errors=[p.to_dict() for p in problems])


def _version_row(key: str, version: int) -> ProcessDefinition:
    if not storable_key(key):
        raise not_found("流程图")
    row = db.session.scalar(
        select(ProcessDefinition).where(ProcessDefinition.key == key, ProcessDefinition.version == version)
    )
    if row is None:
        raise not_found(f"流程图 {key} 的第 {version} 版")
    return row


def storable_key(key: str) -> bool:
    """A key that could be stored (a NUL or an overlong key names no diagram, and reaches no query)."""
    return len(key) <= MAX_KEY and "\x00" not in key


def _field_error(name: str, code: str, message: str) -> dict[str, str]:
    return {"field": name, "code": code, "message": message}
