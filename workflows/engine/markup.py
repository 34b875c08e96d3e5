"""govflow's own markup in a diagram: its namespace, shared checks, notices, department lanes and
named assignees."""

from __future__ import annotations

from lxml import etree

from ..forms import Form
from ..notices import MAX_TEMPLATE, Notice
from .problems import refuse

GOVFLOW_NS = "urn:govflow:bpmn:1.0"
NSMAP = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "govflow": GOVFLOW_NS}
EXTENSIONS = f"{{{NSMAP['bpmn']}}}extensionElements"


def check_attributes(el: etree._Element, owner: etree._Element, allowed: frozenset[str], what: str) -> None:
    """Refuse attributes an element does not take, naming them and the ones it does."""
    # A misspelt attribute (form= for from=) would otherwise be dropped and change the rule.
    unknown = "、".join(sorted(set(el.attrib) - allowed))
    if unknown:
        raise refuse(
            owner,
            "unknown_attribute",
            f"{what} 没有属性 {unknown}，只能写 {'、'.join(sorted(allowed))}；请检查是否拼错",
        )


def is_field_name(name: str) -> bool:
    """Can `name` be a key of the case data (an identifier not starting with '_')?"""
    return name.isascii() and name.isidentifier() and not name.startswith("_")


def read_condition(
    text: str | None, owner: etree._Element, form: Form, what: str = "clock", where: str = "本任务的表单"
) -> tuple[str, str] | None:
    """`field=value` on a field of `form` (an enum's value must be one of its options)."""
    if text is None:
        return None
    name, sep, value = (part.strip() for part in text.partition("="))
    if not sep or name not in {f.name for f in form.fields}:
        raise refuse(
            owner,
            "invalid_condition",
            f"{what} 的 when=“{text}”应写成“字段=取值”，字段须是{where}中的字段",
        )
    options = {o.value for f in form.fields if f.name == name for o in f.options}
    if options and not set(value.split("|")) <= options:  # "item_type=news|centre_news": either
        raise refuse(
            owner,
            "unknown_option",
            f"{what} 的 when=“{text}”：“{value}”不是字段 {name} 的选项（可选：{'、'.join(sorted(options))}）",
        )
    return name, value


def read_notices(process: etree._Element, every_field: Form) -> dict[str, tuple[Notice, ...]]:
    """What each user or manual task tells the applicant on completion (docs/diagrams.md, "Notices").

    A notice's when= may name any field of the diagram's forms: what an earlier task answered
    decides it too (a correction's address is sent only when the item was corrected, ERR-2).
    """
    found: dict[str, list[Notice]] = {}
    for el in process.iter(f"{{{GOVFLOW_NS}}}notice"):
        owner = el.getparent().getparent() if el.getparent() is not None else None
        if (
            owner is None
            or el.getparent().tag != EXTENSIONS
            or etree.QName(owner).localname
            not in (
                "userTask",
                "manualTask",
            )
        ):
            raise refuse(
                next((a for a in el.iterancestors() if a.get("id")), None),
                "markup_misplaced",
                "govflow:notice 须直接放在用户任务或人工任务的 bpmn:extensionElements 中",
            )
        task_id = owner.get("id")
        check_attributes(el, owner, frozenset({"subject", "when"}), "govflow:notice")
        subject, body = (el.get("subject") or "").strip(), (el.text or "").strip()
        if not subject or not body or len(subject) > 200 or len(body) > MAX_TEMPLATE:
            raise refuse(
                owner,
                "notice_incomplete",
                f"govflow:notice 须有标题 subject（至多 200 字）和正文（至多 {MAX_TEMPLATE} 字）",
            )
        when = read_condition(el.get("when"), owner, every_field, "govflow:notice", "流程图各表单")
        found.setdefault(task_id, []).append(Notice(subject, body, when))
    return {task: tuple(notices) for task, notices in found.items()}


def lane_department_fields(process: etree._Element) -> dict[str, str]:
    """Lanes (by name) whose tasks go to the department a field of each task's data names."""
    found: dict[str, str] = {}
    for el in process.iter(f"{{{GOVFLOW_NS}}}lane"):
        parent = el.getparent()
        lane = parent.getparent() if parent is not None else None
        if lane is None or parent.tag != EXTENSIONS or lane.tag != f"{{{NSMAP['bpmn']}}}lane":
            raise refuse(
                next((a for a in el.iterancestors() if a.get("id")), None),
                "markup_misplaced",
                "govflow:lane 须直接放在泳道（bpmn:lane）的 bpmn:extensionElements 中",
            )
        check_attributes(el, lane, frozenset({"departmentFrom"}), "govflow:lane")
        name, source = (lane.get("name") or "").strip(), el.get("departmentFrom") or ""
        if not is_field_name(source):
            raise refuse(
                lane,
                "invalid_department_field",
                f"departmentFrom=“{source}”应是一个数据字段的名称（英文字母开头，不以 _ 开头）",
            )
        if not name or name in found:
            raise refuse(
                lane,
                "lane_name_shared",
                "带 departmentFrom 的泳道须有自己的名称，不能与其他泳道同名或不写名称",
            )
        found[name] = source
    return found


def assignee_fields(process: etree._Element, every_field: Form) -> dict[str, str]:
    """User tasks given to the person (a username) a field of the case data names (govflow:assignee)."""
    found: dict[str, str] = {}
    names = {f.name for f in every_field.fields}
    for el in process.iter(f"{{{GOVFLOW_NS}}}assignee"):
        parent = el.getparent()
        task = parent.getparent() if parent is not None else None
        if task is None or parent.tag != EXTENSIONS or etree.QName(task).localname != "userTask":
            raise refuse(
                next((a for a in el.iterancestors() if a.get("id")), None),
                "markup_misplaced",
                "govflow:assignee 须直接放在用户任务（bpmn:userTask）的 bpmn:extensionElements 中",
            )
        check_attributes(el, task, frozenset({"from"}), "govflow:assignee")
        source = el.get("from") or ""
        if source not in names:
            raise refuse(
                task,
                "unknown_assignee_field",
                f"govflow:assignee 的 from=“{source}”须是流程图某个表单中的字段（填写办理人的用户名）",
            )
        if task.get("id") in found:
            raise refuse(task, "assignee_repeated", "一个任务只能有一个 govflow:assignee")
        found[task.get("id")] = source
    return found
