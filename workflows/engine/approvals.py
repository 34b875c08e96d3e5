"""Four eyes in a diagram: `<govflow:approves task="draft_reply"/>` on an approval task.

Whoever last completed the named task in a case may not claim or complete the approval: a section
head who drafts her department's reply does not approve it herself. The service then gives the
approval to the next role the agency profile names (the leader in charge, then the principal
leader) when nobody else holds the lane's own role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from .markup import EXTENSIONS, GOVFLOW_NS, NSMAP, check_attributes
from .problems import refuse

if TYPE_CHECKING:
    from .parser import ParsedDefinition

HUMAN_TASKS = ("userTask", "manualTask")


def read_approvals(process: etree._Element, parsed: ParsedDefinition) -> dict[str, str]:
    """Approval task id -> the id of the task whose work it approves."""
    humans = {el.get("id") for tag in HUMAN_TASKS for el in process.iter(f"{{{NSMAP['bpmn']}}}{tag}")}
    found: dict[str, str] = {}
    for el in process.iter(f"{{{GOVFLOW_NS}}}approves"):
        parent = el.getparent()
        owner = parent.getparent() if parent is not None else None
        if owner is None or parent.tag != EXTENSIONS or etree.QName(owner).localname not in HUMAN_TASKS:
            raise refuse(
                next((a for a in el.iterancestors() if a.get("id")), None),
                "markup_misplaced",
                "govflow:approves 须直接放在用户任务或人工任务的 bpmn:extensionElements 中",
            )
        task_id = owner.get("id")
        check_attributes(el, owner, frozenset({"task"}), "govflow:approves")
        target = el.get("task") or ""
        if target not in humans or target == task_id:
            detail = f"govflow:approves 的 task=“{target}”须是本流程图中另一个用户任务的 id"
            raise refuse(owner, "invalid_approves", detail)
        if task_id in found:
            raise refuse(owner, "invalid_approves", "一个任务只能审核一个任务的工作（一个 govflow:approves）")
        found[task_id] = target
    return found
