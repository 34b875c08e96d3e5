"""A task's link to a case of another diagram (ERR-2, PUB-9): the error report's 已更正 names the
publishing case that carried the correction, whose published address the reporter is then told.
Works in the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from workflows.engine.link_markup import CaseLink
from workflows.engine.parser import ParsedDefinition

from ..errors import ServiceError, invalid
from ..extensions import db
from ..models import HumanTask, ProcessInstance, User
from ..models.events import EventKind
from .deployment import newest_definition
from .engine import engine
from .queries import instance_for_viewer
from .unit import event


def follow(
    user: User, instance: ProcessInstance, parsed: ParsedDefinition, task: HumanTask, values: dict[str, Any]
) -> dict[str, Any]:
    """The completed form's values, with what the task's caseLink takes from the case it names."""
    link = parsed.case_links.get(task.task_spec)
    if link is None:
        return values
    number = (values.get(link.field) or "").strip()
    if not number:
        return {**values, link.into: None} if link.into else values  # no stale address from a redo
    linked = _linked_case(user, link, number)
    copied = {link.into: _value(link, linked, number)} if link.copy and link.into else {}
    event(instance, user, EventKind.CASE_LINKED, task, {"case": number, "process": link.process})
    back = {"case": instance.tracking_number, "process": parsed.process_id, "task": task.name}
    event(linked, user, EventKind.CASE_LINKED, None, back)  # the publishing case shows what it corrected
    return {**values, link.field: number, **copied}


def _linked_case(user: User, link: CaseLink, number: str) -> ProcessInstance:
    row = db.session.scalar(select(ProcessInstance).where(ProcessInstance.tracking_number == number))
    try:
        # The same rule as reading a case: a number one may not see is as unknown as a wrong one.
        visible = instance_for_viewer(user, row.id)[0] if row is not None else None
    except ServiceError:
        visible = None
    if visible is None:
        raise _refused(link, "case_not_found", f"没有您可查看的受理编号为“{number}”的案件")
    if visible.definition.key != link.process:
        expected = newest_definition(link.process)
        name = expected.name if expected is not None else link.process
        raise _refused(link, "wrong_process", f"“{number}”是{visible.definition.name}案件，应为{name}案件")
    return visible


def _value(link: CaseLink, linked: ProcessInstance, number: str) -> Any:
    assert link.copy
    value = (linked.data or {}).get(link.copy)
    if value in (None, ""):
        fields = engine().definition(linked.definition).every_field().fields
        label = next((f.label for f in fields if f.name == link.copy), link.copy)
        raise _refused(link, "case_not_ready", f"{linked.definition.name}案件“{number}”尚未填写“{label}”")
    return value


def _refused(link: CaseLink, code: str, message: str) -> ServiceError:
    return invalid(message, [{"field": link.field, "code": code, "message": message}], code)
