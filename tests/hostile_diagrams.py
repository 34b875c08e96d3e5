"""Hostile and broken diagrams, each the shipped survey diagram with one thing changed.

Each variant differs from a diagram that deploys only in its hostile part, so a refusal can only
be about that part. `variant(name)` gives the XML of one, with the process id `scratch_process`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

BPMN_DIR = Path(__file__).resolve().parents[1] / "bpmn"
SURVEY = (BPMN_DIR / "survey.bpmn").read_bytes()
KEY = "scratch_process"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
DI = {
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
}


def scratch(xml: bytes = SURVEY, key: str = KEY) -> bytes:
    """The survey diagram under another process id (a key of the test's own)."""
    return xml.replace(b'id="survey"', f'id="{key}"'.encode()).replace(
        b'processRef="survey"', f'processRef="{key}"'.encode()
    )


def _by_id(root: etree._Element, element_id: str) -> etree._Element:
    (found,) = root.xpath("//*[@id=$id]", id=element_id)
    return found


def _script(task_id: str, kind: str, code: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        extensions = _by_id(root, task_id).find(f"{{{BPMN}}}extensionElements")
        etree.SubElement(extensions, f"{{{SPIFF}}}{kind}", nsmap={"spiffworkflow": SPIFF}).text = code

    return change


def _condition(code: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        _by_id(root, "Flow_returned").find(f"{{{BPMN}}}conditionExpression").text = code

    return change


def _timer(expression: str) -> Callable[[etree._Element], None]:
    """A non-interrupting timer on 发布征集调查, with its place in the layout."""

    def change(root: etree._Element) -> None:
        task = _by_id(root, "publish_survey")
        event = etree.Element(
            f"{{{BPMN}}}boundaryEvent",
            id="late",
            name="超时提醒",
            attachedToRef="publish_survey",
            cancelActivity="false",
        )
        definition = etree.SubElement(event, f"{{{BPMN}}}timerEventDefinition", id="late_timer")
        etree.SubElement(definition, f"{{{BPMN}}}timeDate").text = expression
        task.addnext(event)
        lane = _by_id(root, "Lane_info_center")
        etree.SubElement(lane, f"{{{BPMN}}}flowNodeRef").text = "late"
        plane = root.find(".//bpmndi:BPMNPlane", DI)
        shape = etree.SubElement(plane, f"{{{DI['bpmndi']}}}BPMNShape", id="late_di", bpmnElement="late")
        etree.SubElement(shape, f"{{{DI['dc']}}}Bounds", x="772", y="457", width="36", height="36")

    return change


def _loop(markup: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        _by_id(root, "publish_survey").append(etree.fromstring(markup))

    return change


def _deadline(name: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        _by_id(root, "publish_survey").find(".//{urn:govflow:bpmn:1.0}deadline").set("name", name)

    return change


LOOP = f'<bpmn:multiInstanceLoopCharacteristics xmlns:bpmn="{BPMN}"><bpmn:loopCardinality>{{}}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>'

# name: (change, the code deploy answers with, the element it names)
HOSTILE: dict[str, tuple[Callable[[etree._Element], None], str, str]] = {
    "import": (_script("approve_survey", "postScript", "import os"), "script_refused", "approve_survey"),
    "open": (
        _script("revise_survey", "postScript", 'survey_content = open("/etc/passwd").read()'),
        "script_refused",
        "revise_survey",
    ),
    "dunder": (
        _script("publish_survey", "postScript", "x = ().__class__.__bases__[0].__subclasses__()"),
        "script_refused",
        "publish_survey",
    ),
    "eval": (
        _script("approve_survey", "postScript", 'x = eval("1 + 1")'),
        "script_refused",
        "approve_survey",
    ),
    "condition": (_condition("(lambda: True)()"), "script_refused", "Flow_returned"),
    "timer": (_timer('__import__("os").system("id")'), "script_refused", "late"),
    "pre_script": (
        _script("approve_survey", "preScript", "while True:\n    pass"),
        "script_refused",
        "approve_survey",
    ),
    "instances": (_loop(LOOP.format(1_000_000)), "too_many_instances", "publish_survey"),
    "deadline": (_deadline("publishing.coffee"), "unknown_deadline", "publish_survey"),
    "deadline_at": (_timer('deadline_at("publishing.coffee", opens_on)'), "unknown_deadline", "late"),
}


def variant(name: str, base: bytes | None = None) -> bytes:
    """One hostile diagram (see HOSTILE), under the process id `scratch_process`."""
    root = etree.fromstring(base if base is not None else scratch())
    HOSTILE[name][0](root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
