"""Checking a diagram before it is deployed: everything `flask validate` and deploy report.

Parsing already refuses unsafe XML, malformed forms and bad deadline markup. On top of that a
diagram must: put every user task in a lane the organisation resolves and give it a form with
Chinese labels; name only deadlines every agency profile defines; pass every script, condition
and timer expression through the sandbox's checker; keep parallel tasks within their instance cap;
have Chinese names on its tasks, events and gateways; and carry a layout (a shape for every node
and lane, an edge for every flow) that can be read (layout_check.py). Each problem names its
element (see problems.py).
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable, Iterable, Mapping

from lxml import etree

from ..assignment import OrgView, lane_problems
from ..forms import SUGGESTION_LISTS, FormField
from ..profiles import OPTION_LISTS, Profile
from .calendar_functions import NAMES as CALENDAR_FUNCTIONS
from .layout_check import layout_problems
from .limits import MAX_INSTANCES
from .parser import NSMAP, ParsedDefinition, load_xml, parse_definition
from .problems import KINDS, DiagramError, DiagramProblem, at
from .script_engine import check_script
from .script_guards import DEFAULT_FUNCTIONS, ScriptRejected

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
BPMN = NSMAP["bpmn"]
CJK = re.compile(r"[\u4e00-\u9fff]")
DEADLINE_AT = re.compile(r"""deadline_at\(\s*["']([^"']+)["']""")
NAMED = (
    *("userTask", "manualTask", "scriptTask", "serviceTask", "task", "subProcess", "callActivity"),
    *("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"),
    *("exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway"),
)
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
# Where diagrams hold code, whether it is a statement block or an expression, and its Chinese name.
EXPRESSIONS = (
    ("bpmn:script", "exec", "脚本"),
    ("bpmn:conditionExpression", "eval", "条件表达式"),
    ("bpmn:timeDate", "eval", "定时器时间（timeDate）"),
    ("bpmn:timeDuration", "eval", "定时器时长（timeDuration）"),
    ("bpmn:timeCycle", "eval", "定时器周期（timeCycle）"),
    ("bpmn:loopCardinality", "eval", "多实例数量（loopCardinality）"),
    ("bpmn:completionCondition", "eval", "多实例完成条件（completionCondition）"),
    ("spiffworkflow:preScript", "exec", "前置脚本（preScript）"),
    ("spiffworkflow:postScript", "exec", "后置脚本（postScript）"),
)
_NAMESPACES = {"bpmn": BPMN, "spiffworkflow": SPIFF}
SCRIPT_FUNCTIONS = frozenset(DEFAULT_FUNCTIONS) | CALENDAR_FUNCTIONS
SANDBOX_HINT = "脚本只能使用简单的表达式和赋值（见 docs/diagrams.md“安全”一节）"
LANE_HINT = "泳道名称应为部门名称或代码、承办处室、信息员、处室负责人、分管领导、主要领导，或“部门·角色”"
Parse = Callable[[bytes, str], ParsedDefinition]


def validate_diagram(
    xml: bytes,
    expected_id: str,
    org: OrgView,
    profiles: Mapping[str, Profile],
    parse: Parse = parse_definition,
) -> list[DiagramProblem]:
    """Every problem found in one diagram (an empty list means it may be deployed).

    `parse` may be a cache's lookup: deploy parses each diagram once for checking and storing.
    """
    try:
        parsed = parse(xml, expected_id)
    except DiagramError as err:
        return list(err.problems)
    root = load_xml(xml)
    process = root.find(f".//bpmn:process[@id='{parsed.process_id}']", NSMAP)
    problems = _task_problems(process, parsed, org)
    problems += _option_list_problems(process, parsed)
    problems += _shared_lane_names(process, parsed)
    problems += _deadline_problems(parsed, process, profiles)
    problems += _script_problems(process)
    problems += _service_parameter_problems(process)
    problems += _instance_problems(process)
    problems += _notice_problems(process, parsed)
    problems += _name_problems(process)
    problems += _layout_problems(root, process)
    problems += layout_problems(root, process)
    return problems


def _task_problems(process: etree._Element, parsed: ParsedDefinition, org: OrgView) -> list[DiagramProblem]:
    problems = []
    for task_id, lane in sorted(parsed.user_task_lanes.items()):
        task = _element(process, task_id)
        if not lane:
            problems.append(at(task, "no_lane", "不在任何泳道中，没有人会收到它：请把它放进一个泳道"))
            continue
        if lane_problems(lane, org, parsed.lane_department_fields):
            problems.append(
                at(task, "unknown_lane", f"所在泳道“{lane}”在本单位的组织机构中找不到对应的人员。{LANE_HINT}")
            )
        form = parsed.forms.get(task_id)
        if form is None:
            problems.append(
                at(task, "no_form", "没有表单（govflow:form）：办理人员据表单填写办理结果，请补上")
            )
            continue
        for field in form.fields:
            if not CJK.search(field.label or ""):
                detail = f"表单字段“{field.name}”的标签（label）“{field.label}”须含中文，办理人员看到的是它"
                problems.append(at(task, "label_not_chinese", detail))
            if field.name in SCRIPT_FUNCTIONS:
                # Case data shadows functions in expressions: a field `add_days` breaks every timer.
                detail = f"表单字段名“{field.name}”与脚本函数同名，会让用到该函数的脚本和定时器出错：请改名"
                problems.append(at(task, "field_shadows_function", detail))
    return problems


def _option_list_problems(process: etree._Element, parsed: ParsedDefinition) -> list[DiagramProblem]:
    """A profileOptions naming no list a profile provides, or on a field without options to choose."""
    starts = [
        el
        for el in process.iterfind(".//bpmn:startEvent", NSMAP)
        if el.find(".//govflow:form", NSMAP) is not None
    ]
    owners = [(starts[0] if starts else process, parsed.start_form)]
    owners += [(_element(process, task_id), form) for task_id, form in sorted(parsed.forms.items())]
    known = "、".join(sorted(OPTION_LISTS))
    problems = []
    for owner, form in owners:
        for field in form.fields if form else ():
            problems += _suggestion_problems(owner, field)
            if field.profile_options is None:
                continue
            if field.profile_options not in OPTION_LISTS:
                named = f"表单字段“{field.name}”的 profileOptions=“{field.profile_options}”"
                detail = f"{named}不是机构配置提供的选项列表（可用：{known}）"
                problems.append(at(owner, "unknown_option_list", detail))
            elif field.type not in ("enum", "enums"):
                detail = f"表单字段“{field.name}”不是 enum 或 enums 类型，不能用 profileOptions 选取选项"
                problems.append(at(owner, "option_list_not_enum", detail))
    return problems


def _suggestion_problems(owner: etree._Element, field: FormField) -> list[DiagramProblem]:
    """A suggestFrom naming no list the service provides, or on a field that is no `string`."""
    if field.suggest_from is None:
        return []
    if field.suggest_from not in SUGGESTION_LISTS:
        known = "、".join(sorted(SUGGESTION_LISTS))
        named = f"表单字段“{field.name}”的 suggestFrom=“{field.suggest_from}”"
        detail = f"{named}不是服务提供的建议列表（可用：{known}）"
        return [at(owner, "unknown_suggestion_list", detail)]
    if field.type != "string":
        return [
            at(
                owner,
                "suggestion_list_not_string",
                f"表单字段“{field.name}”不是 string 类型，不能用 suggestFrom",
            )
        ]
    return []


def _shared_lane_names(process: etree._Element, parsed: ParsedDefinition) -> list[DiagramProblem]:
    # Tasks know their lane by name only: a second lane of that name would borrow its departmentFrom.
    lanes = list(process.iter(f"{{{BPMN}}}lane"))
    names = [(lane.get("name") or "").strip() for lane in lanes]
    return [
        at(
            lanes[names.index(name)],
            "lane_name_shared",
            f"另有 {names.count(name) - 1} 个泳道也叫“{name}”：带 departmentFrom 的泳道须有自己的名称",
        )
        for name in sorted(parsed.lane_department_fields)
        if names.count(name) > 1
    ]


def _deadline_problems(
    parsed: ParsedDefinition, process: etree._Element, profiles: Mapping[str, Profile]
) -> list[DiagramProblem]:
    uses = {(element_id, name): _element(process, element_id) for element_id, name in parsed.deadline_uses()}
    uses |= {(el.get("id"), name): el for el, name in _names_in_expressions(process)}
    everywhere = set.intersection(*(set(p.deadlines) for p in profiles.values())) if profiles else set()
    problems = []
    for (_id, name), el in sorted(uses.items(), key=lambda use: (use[0][0] or "", use[0][1])):
        lacking = sorted(p for p, profile in profiles.items() if name not in profile.deadlines)
        if lacking:
            where = "任何机构配置" if len(lacking) == len(profiles) else f"机构配置 {'、'.join(lacking)} "
            problems.append(at(el, "unknown_deadline", _unknown_deadline(name, where, everywhere)))
    return problems


def _unknown_deadline(name: str, where: str, everywhere: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(everywhere), n=3, cutoff=0.5)
    hint = f"，是否应为 {'、'.join(close)}？" if close else "。"
    return (
        f"期限“{name}”在{where}中都没有定义{hint}"
        "请改用每个机构配置都有的期限名称（GET /api/v1/profile 列出当前配置的全部期限）"
    )


def _names_in_expressions(process: etree._Element) -> list[tuple[etree._Element, str]]:
    """Deadline names scripts and timers pass to deadline_at("area.name", ...), by owning element."""
    return [
        (_owner(el), name)
        for tag, _mode, _what in EXPRESSIONS
        for el in _code(process, tag)
        for name in DEADLINE_AT.findall(el.text or "")
    ]


def _code(process: etree._Element, tag: str) -> Iterable[etree._Element]:
    prefix, name = tag.split(":")
    return process.iter(f"{{{_NAMESPACES[prefix]}}}{name}")


def _script_problems(process: etree._Element) -> list[DiagramProblem]:
    problems = []
    for tag, mode, what in EXPRESSIONS:
        for el in _code(process, tag):
            source = (el.text or "").strip()
            if not source:
                continue
            try:
                check_script(source, mode, SCRIPT_FUNCTIONS)
            except (ScriptRejected, SyntaxError) as err:
                detail = f"{what}被安全沙箱拒绝：{err}。{SANDBOX_HINT}"
                problems.append(at(_owner(el), "script_refused", detail))
    return problems


def _service_parameter_problems(process: etree._Element) -> list[DiagramProblem]:
    """Service task parameters are expressions the sandbox evaluates, like conditions."""
    problems = []
    for el in process.iter(f"{{{SPIFF}}}parameter"):
        try:
            check_script(el.get("value") or "None", "eval", SCRIPT_FUNCTIONS)
        except (ScriptRejected, SyntaxError) as err:
            # The parameter and its operator carry ids of their own: name the task instead.
            detail = f"参数“{el.get('id')}”的值被安全沙箱拒绝：{err}。{SANDBOX_HINT}"
            problems.append(at(_owner(el), "script_refused", detail))
    return problems


def _instance_problems(process: etree._Element) -> list[DiagramProblem]:
    """A multi-instance task over its cap, or inside another one (the counts would multiply)."""
    problems = []
    for loop in process.iter(f"{{{BPMN}}}multiInstanceLoopCharacteristics"):
        task = loop.getparent()
        cardinality = _literal_int(loop.findtext(f"{{{BPMN}}}loopCardinality"))
        if cardinality is not None and cardinality > MAX_INSTANCES:
            detail = f"多实例数量（loopCardinality）为 {cardinality}，超过上限 {MAX_INSTANCES}"
            problems.append(at(task, "too_many_instances", detail))
        if any(
            a.find(f"{{{BPMN}}}multiInstanceLoopCharacteristics") is not None for a in task.iterancestors()
        ):
            detail = "多实例环节不能放在多实例子流程中：两层实例数相乘，会超出上限，请改为单层多实例"
            problems.append(at(task, "nested_multi_instance", detail))
    return problems


def _literal_int(source: str | None) -> int | None:
    try:
        tree = ast.parse((source or "").strip(), mode="eval")
    except SyntaxError:
        return None
    value = tree.body.value if isinstance(tree.body, ast.Constant) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _notice_problems(process: etree._Element, parsed: ParsedDefinition) -> list[DiagramProblem]:
    """A notice placeholder that no form fills would always print empty."""
    known = set(parsed.option_labels()) | {"tracking_number"}
    known |= {link.into for link in parsed.case_links.values() if link.into}  # filled from a linked case
    return [
        at(
            _element(process, task_id),
            "unknown_placeholder",
            f"通知中的占位符 {{{name}}} 不是任何表单的字段，发出时会是空的：请改为表单字段名或删去",
        )
        for task_id, notices in sorted(parsed.notices.items())
        for notice in notices
        for name in sorted(notice.placeholders() - known)
    ]


def _name_problems(process: etree._Element) -> list[DiagramProblem]:
    return [
        at(el, "name_not_chinese", "须有中文名称（name），领导和办理人员看到的是它")
        for el in _nodes(process)
        if not CJK.search(el.get("name") or "")
    ]


def _layout_problems(root: etree._Element, process: etree._Element) -> list[DiagramProblem]:
    shapes = {el.get("bpmnElement") for el in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    edges = {el.get("bpmnElement") for el in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
    hint = "请在建模工具中画出它并保存，领导和办理人员要看得到流程图"
    problems = [at(el, "no_layout_shape", f"在流程图布局中没有图形（BPMNShape）：{hint}")
                for el in [*_nodes(process), *process.iter(f"{{{BPMN}}}lane")]
                if el.get("id") not in shapes]  # fmt: skip
    problems += [
        at(el, "no_layout_edge", f"在流程图布局中没有连线（BPMNEdge）：{hint}")
        for el in process.iter(f"{{{BPMN}}}sequenceFlow")
        if el.get("id") not in edges
    ]
    return problems


def _nodes(process: etree._Element) -> Iterable[etree._Element]:
    for name in NAMED:
        yield from process.iter(f"{{{BPMN}}}{name}")


def _element(process: etree._Element, element_id: str) -> etree._Element:
    found = process.xpath(".//*[@id=$id]", id=element_id)
    return found[0] if found else process


def _owner(el: etree._Element) -> etree._Element:
    """The flow element, flow or process holding `el` (not an event definition or loop marker)."""
    for candidate in (el, *el.iterancestors()):
        if etree.QName(candidate).namespace == BPMN and etree.QName(candidate).localname in KINDS:
            return candidate
    return el
