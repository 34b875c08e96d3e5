"""Checking a diagram before it is deployed: everything `flask validate` reports, as plain text.

Parsing already refuses unsafe XML, malformed forms and bad deadline markup. On top of that a
diagram must: put every user task in a lane the organisation resolves and give it a form with
Chinese labels; name only deadlines every agency profile defines; pass every script, condition
and timer expression through the sandbox's checker; have Chinese names on its tasks, events and
gateways; and carry a layout (a shape for every node and lane, an edge for every flow).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from lxml import etree

from ..assignment import OrgView, lane_problems
from ..profiles import Profile
from .calendar_functions import NAMES as CALENDAR_FUNCTIONS
from .parser import NSMAP, DiagramError, ParsedDefinition, load_xml, parse_definition
from .script_engine import check_script
from .script_guards import DEFAULT_FUNCTIONS, ScriptRejected

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
CJK = re.compile(r"[\u4e00-\u9fff]")
DEADLINE_AT = re.compile(r"""deadline_at\(\s*["']([^"']+)["']""")
NAMED = (
    *("userTask", "manualTask", "scriptTask", "serviceTask", "task", "subProcess", "callActivity"),
    *("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"),
    *("exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway"),
)
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
# Where diagrams hold code, and whether it is a statement block or an expression.
EXPRESSIONS = (
    ("bpmn:script", "exec"),
    ("bpmn:conditionExpression", "eval"),
    ("bpmn:timeDate", "eval"),
    ("bpmn:timeDuration", "eval"),
    ("bpmn:timeCycle", "eval"),
    ("bpmn:loopCardinality", "eval"),
    ("bpmn:completionCondition", "eval"),
    ("spiffworkflow:preScript", "exec"),
    ("spiffworkflow:postScript", "exec"),
)
_NAMESPACES = {"bpmn": NSMAP["bpmn"], "spiffworkflow": SPIFF}
SCRIPT_FUNCTIONS = frozenset(DEFAULT_FUNCTIONS) | CALENDAR_FUNCTIONS


def validate_diagram(
    xml: bytes, expected_id: str, org: OrgView, profiles: Mapping[str, Profile]
) -> list[str]:
    """Every problem found in one diagram (an empty list means it may be deployed)."""
    try:
        parsed = parse_definition(xml, expected_id)
    except DiagramError as err:
        return [str(err)]
    root = load_xml(xml)
    process = root.find(f".//bpmn:process[@id='{parsed.process_id}']", NSMAP)
    problems = _task_problems(process, parsed, org)
    problems += _shared_lane_names(process, parsed)
    problems += _deadline_problems(parsed, process, profiles)
    problems += _script_problems(process)
    problems += _service_parameter_problems(process)
    problems += _notice_problems(parsed)
    problems += _name_problems(process)
    problems += _layout_problems(root, process)
    return problems


def _task_problems(process: etree._Element, parsed: ParsedDefinition, org: OrgView) -> list[str]:
    problems = []
    for task_id, lane in sorted(parsed.user_task_lanes.items()):
        if not lane:
            problems.append(f"task {task_id!r} sits in no lane, so nobody would get it")
            continue
        named = parsed.lane_department_fields
        problems += [f"task {task_id!r}: {p}" for p in lane_problems(lane, org, named)]
        form = parsed.forms.get(task_id)
        if form is None:
            problems.append(f"task {task_id!r} has no govflow:form")
            continue
        for field in form.fields:
            if not CJK.search(field.label or ""):
                problems.append(f"task {task_id!r}: field {field.name!r} needs a Chinese label")
            if field.name in SCRIPT_FUNCTIONS:
                # Case data shadows functions in expressions: a field `add_days` breaks every timer.
                problems.append(f"task {task_id!r}: field {field.name!r} is the name of a script function")
    return problems


def _shared_lane_names(process: etree._Element, parsed: ParsedDefinition) -> list[str]:
    # Tasks know their lane by name only: a second lane of that name would borrow its departmentFrom.
    names = [(lane.get("name") or "").strip() for lane in process.iter(f"{{{NSMAP['bpmn']}}}lane")]
    return [
        f"lane name {name!r} has departmentFrom and is used by {names.count(name)} lanes"
        for name in sorted(parsed.lane_department_fields)
        if names.count(name) > 1
    ]


def _deadline_problems(
    parsed: ParsedDefinition, process: etree._Element, profiles: Mapping[str, Profile]
) -> list[str]:
    named = parsed.deadline_names() | _names_in_expressions(process)
    return [
        f"deadline {name!r} is not defined in profile {profile_name!r}"
        for name in sorted(named)
        for profile_name, profile in sorted(profiles.items())
        if name not in profile.deadlines
    ]


def _names_in_expressions(process: etree._Element) -> set[str]:
    """Deadline names scripts and timers pass to deadline_at("area.name", ...)."""
    names = set()
    for tag, _mode in EXPRESSIONS:
        for el in _code(process, tag):
            names.update(DEADLINE_AT.findall(el.text or ""))
    return names


def _code(process: etree._Element, tag: str) -> Iterable[etree._Element]:
    prefix, name = tag.split(":")
    return process.iter(f"{{{_NAMESPACES[prefix]}}}{name}")


def _script_problems(process: etree._Element) -> list[str]:
    problems = []
    for tag, mode in EXPRESSIONS:
        for el in _code(process, tag):
            source = (el.text or "").strip()
            if not source:
                continue
            try:
                check_script(source, mode, SCRIPT_FUNCTIONS)
            except (ScriptRejected, SyntaxError) as err:
                problems.append(f"{_where(el)}: {tag.split(':')[1]} refused by the sandbox: {err}")
    return problems


def _service_parameter_problems(process: etree._Element) -> list[str]:
    """Service task parameters are expressions the sandbox evaluates, like conditions."""
    problems = []
    for el in process.iter(f"{{{SPIFF}}}parameter"):
        try:
            check_script(el.get("value") or "None", "eval", SCRIPT_FUNCTIONS)
        except (ScriptRejected, SyntaxError) as err:
            # The parameter and its operator carry ids of their own: name the task instead.
            task = next(a for a in el.iterancestors() if etree.QName(a).namespace == NSMAP["bpmn"])
            problems.append(f"{_where(task)}: parameter {el.get('id')!r} refused by the sandbox: {err}")
    return problems


def _notice_problems(parsed: ParsedDefinition) -> list[str]:
    """A notice placeholder that no form fills would always print empty."""
    known = set(parsed.option_labels()) | {"tracking_number"}
    known |= {link.into for link in parsed.case_links.values() if link.into}  # filled from a linked case
    return [
        f"task {task_id!r}: notice placeholder {{{name}}} is no field of any form"
        for task_id, notices in sorted(parsed.notices.items())
        for notice in notices
        for name in sorted(notice.placeholders() - known)
    ]


def _name_problems(process: etree._Element) -> list[str]:
    return [
        f"{etree.QName(el).localname} {el.get('id')!r} needs a Chinese name"
        for el in _nodes(process)
        if not CJK.search(el.get("name") or "")
    ]


def _layout_problems(root: etree._Element, process: etree._Element) -> list[str]:
    shapes = {el.get("bpmnElement") for el in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    edges = {el.get("bpmnElement") for el in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
    problems = [f"{etree.QName(el).localname} {el.get('id')!r} has no shape in the layout"
                for el in [*_nodes(process), *process.iter(f"{{{NSMAP['bpmn']}}}lane")]
                if el.get("id") not in shapes]  # fmt: skip
    problems += [
        f"sequence flow {el.get('id')!r} has no edge in the layout"
        for el in process.iter(f"{{{NSMAP['bpmn']}}}sequenceFlow")
        if el.get("id") not in edges
    ]
    return problems


def _nodes(process: etree._Element) -> Iterable[etree._Element]:
    for name in NAMED:
        yield from process.iter(f"{{{NSMAP['bpmn']}}}{name}")


def _where(el: etree._Element) -> str:
    owner = el
    while owner is not None and owner.get("id") is None:
        owner = owner.getparent()
    return f"element {owner.get('id')!r}" if owner is not None else "the diagram"
