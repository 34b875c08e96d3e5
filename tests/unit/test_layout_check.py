"""Can a leader read the drawing: flows around shapes, labels apart, one line per flow (issue 10)?

Each rule of workflows/engine/layout_check.py on a small hand-drawn diagram, once drawn well and
once drawn badly; then through `validate_diagram`, as `flask validate` and deploy report it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.layout import laid_out
from workflows.engine.layout_check import Box, crosses, layout_problems, shared_length
from workflows.engine.parser import NSMAP
from workflows.engine.validation import validate_diagram
from workflows.profiles import PROFILES

NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)
# start → 办理 → end in a row, and a second task 复核 below the row.
NODES = {
    "start": ("startEvent", "开始", (100, 100, 36, 36)),
    "t": ("userTask", "办理", (200, 78, 100, 80)),
    "end": ("endEvent", "结束", (400, 100, 36, 36)),
    "check": ("userTask", "复核", (200, 250, 100, 80)),
}
FLOWS = {
    "f1": ("start", "t", None, [(136, 118), (200, 118)]),
    "f2": ("t", "end", None, [(300, 118), (400, 118)]),
}


def drawing(nodes=None, flows=None, labels=None, extra: str = ""):
    """The parsed definitions and process: node kinds, names and boxes; flow ends, names and waypoints.

    `labels` gives label boxes by element id (a flow's, or an event's or gateway's external label).
    """
    nodes, flows, labels = nodes or NODES, flows or FLOWS, labels or {}
    semantic = "".join(f'<bpmn:{kind} id="{i}" name="{name}"/>' for i, (kind, name, _) in nodes.items())
    semantic += "".join(
        f'<bpmn:sequenceFlow id="{i}" sourceRef="{s}" targetRef="{t}"' + (f' name="{n}"/>' if n else "/>")
        for i, (s, t, n, _) in flows.items()
    )
    di = ""
    for i, (_, _, (x, y, w, h)) in nodes.items():
        di += f'<bpmndi:BPMNShape id="{i}_di" bpmnElement="{i}"><dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/>'
        di += _label(labels.get(i)) + "</bpmndi:BPMNShape>"
    for i, (_, _, _, points) in flows.items():
        di += f'<bpmndi:BPMNEdge id="{i}_di" bpmnElement="{i}">'
        di += "".join(f'<di:waypoint x="{x}" y="{y}"/>' for x, y in points)
        di += _label(labels.get(i)) + "</bpmndi:BPMNEdge>"
    root = etree.fromstring(
        f'<bpmn:definitions {NS}><bpmn:process id="p">{semantic}{extra}</bpmn:process>'
        f'<bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="p">{di}</bpmndi:BPMNPlane>'
        "</bpmndi:BPMNDiagram></bpmn:definitions>"
    )
    return root, root.find("bpmn:process", NSMAP)


def _label(box) -> str:
    if box is None:
        return ""
    x, y, w, h = box
    return f'<bpmndi:BPMNLabel><dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/></bpmndi:BPMNLabel>'


def found(nodes=None, flows=None, labels=None) -> list[tuple[str | None, str]]:
    problems = layout_problems(*drawing(nodes, flows, labels))
    for problem in problems:
        assert problem.element_id in problem.message  # the editor marks the element the message names
    return [(p.element_id, p.code) for p in problems]


def test_a_row_of_shapes_joined_by_flows_reads_well():
    """Does a plain left-to-right drawing pass every check?"""
    assert found() == []


# -- flow_crosses_shape ------------------------------------------------------------------------


def test_a_flow_through_a_task_it_does_not_connect_is_reported():
    """Is a flow drawn straight through 复核 (a task it has nothing to do with) named, with the task?"""
    nodes = NODES | {"check": ("userTask", "复核", (330, 90, 40, 60))}
    problems = layout_problems(*drawing(nodes))
    assert [(p.element_id, p.code) for p in problems] == [("f2", "flow_crosses_shape")]
    assert "复核" in problems[0].message


def test_a_flow_routed_around_a_task_passes():
    """Does the same flow pass once it goes around the task?"""
    nodes = NODES | {"check": ("userTask", "复核", (330, 90, 40, 60))}
    around = [(300, 118), (315, 118), (315, 60), (385, 60), (385, 118), (400, 118)]
    assert found(nodes, FLOWS | {"f2": ("t", "end", None, around)}) == []


def test_a_flow_grazing_a_shapes_edge_within_the_tolerance_passes():
    """Is a line 2 px inside a task's border taken as running along it, not through it?"""
    nodes = NODES | {"check": ("userTask", "复核", (330, 116, 40, 60))}
    assert found(nodes) == []


def test_a_flow_through_another_flows_label_is_reported():
    """Does a line drawn over another flow's name count as crossing it?"""
    flows = FLOWS | {"f3": ("t", "check", "退回", [(250, 158), (250, 250)])}
    assert found(flows=flows, labels={"f3": (320, 110, 30, 14)}) == [("f2", "flow_crosses_shape")]
    assert found(flows=flows, labels={"f3": (255, 190, 30, 14)}) == []


def test_a_flow_leaving_a_boundary_event_over_its_task_passes():
    """Is a timeout flow that starts on a task's edge free to leave over that task?"""
    nodes = NODES | {"late": ("boundaryEvent", "超时", (262, 140, 36, 36))}
    flows = FLOWS | {
        "f3": ("late", "check", None, [(280, 140), (280, 100), (320, 100), (320, 290), (300, 290)])
    }
    root, process = drawing(nodes, flows, {"late": (240, 180, 30, 14)})
    process.find("bpmn:boundaryEvent", NSMAP).set("attachedToRef", "t")
    problems = [(p.element_id, p.code) for p in layout_problems(root, process)]
    assert ("f3", "flow_crosses_shape") not in problems


# -- labels_overlap, label_covers_shape ---------------------------------------------------------


def test_two_labels_printed_over_each_other_are_reported():
    """Is a flow name written over the start event's name reported, naming both?"""
    flows = FLOWS | {"f1": ("start", "t", "提交", [(136, 118), (200, 118)])}
    problems = layout_problems(*drawing(flows=flows, labels={"f1": (100, 140, 40, 14)}))
    assert [(p.element_id, p.code) for p in problems] == [("start", "labels_overlap")]
    assert "f1" in problems[0].message and "提交" in problems[0].message


def test_labels_apart_pass():
    """Does the same name pass above the line, clear of the start event's name below it?"""
    flows = FLOWS | {"f1": ("start", "t", "提交", [(136, 118), (200, 118)])}
    assert found(flows=flows, labels={"f1": (150, 98, 40, 14)}) == []


def test_a_label_over_a_task_is_reported():
    """Is a flow name printed over a task (whose own name is inside it) reported?"""
    flows = FLOWS | {"f1": ("start", "t", "提交", [(136, 118), (200, 118)])}
    assert found(flows=flows, labels={"f1": (190, 98, 40, 14)}) == [("f1", "label_covers_shape")]


# -- flows_share_segment ------------------------------------------------------------------------


def test_two_flows_on_one_line_are_reported():
    """Are two flows that run together for 100 px (which way does each go?) reported, naming both?"""
    flows = FLOWS | {"f3": ("t", "check", None, [(300, 118), (360, 118), (360, 290), (300, 290)])}
    problems = layout_problems(*drawing(flows=flows))
    assert [(p.element_id, p.code) for p in problems] == [("f2", "flows_share_segment")]
    assert "f3" in problems[0].message


def test_two_flows_splitting_at_once_pass():
    """Do two flows leaving one corner and parting within MIN_SHARED_LENGTH (10 px) pass?"""
    flows = FLOWS | {"f3": ("t", "check", None, [(300, 118), (308, 118), (308, 290), (300, 290)])}
    nodes = NODES | {"check": ("userTask", "复核", (200, 250, 100, 80))}
    assert found(nodes, flows) == []


def test_two_flows_crossing_at_a_point_pass():
    """Is a crossing (one point in common) fine?"""
    flows = FLOWS | {"f3": ("t", "check", None, [(250, 50), (350, 50), (350, 200), (250, 200), (250, 250)])}
    assert found(flows=flows) == []


# -- flow_label_missing -------------------------------------------------------------------------


def test_a_named_flow_without_a_label_position_is_reported():
    """Is a named flow whose name has nowhere to print reported, while an unnamed one needs none?"""
    flows = FLOWS | {"f1": ("start", "t", "提交", [(136, 118), (200, 118)])}
    assert found(flows=flows) == [("f1", "flow_label_missing")]
    assert found(flows=flows, labels={"f1": (150, 98, 40, 14)}) == []


# -- geometry -----------------------------------------------------------------------------------


def test_the_geometry_helpers():
    """Segment through a box, beside it, touching it; shared length of collinear segments."""
    box = Box(10, 10, 20, 20)
    assert crosses(((0, 20), (40, 20)), box) and crosses(((0, 0), (40, 40)), box)
    assert not crosses(((0, 40), (40, 40)), box) and not crosses(((0, 10), (40, 10)), box)
    assert shared_length(((0, 0), (100, 0)), ((50, 0), (200, 0))) == 50
    assert shared_length(((0, 0), (100, 0)), ((50, 1.5), (200, 1.5))) == 0
    assert shared_length(((0, 0), (0, 100)), ((0, 100), (0, 150))) == 0


# -- through validate_diagram -------------------------------------------------------------------

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"


def test_validate_reports_a_shipped_diagram_drawn_badly():
    """Does `flask validate` (and so deploy) refuse survey.bpmn once 修改 sits on the 同意发布 line?"""
    from service.services.demo import org_view

    root = etree.fromstring((BPMN_DIR / "survey.bpmn").read_bytes())
    assert validate_diagram(etree.tostring(root), "survey", org_view(), PROFILES) == []
    for shape in root.iter("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNShape"):
        if shape.get("bpmnElement") == "revise_survey":  # down onto the line 同意发布 takes
            shape[0].set("x", "560")
            shape[0].set("y", "395")
    problems = validate_diagram(etree.tostring(root), "survey", org_view(), PROFILES)
    assert "flow_crosses_shape" in [p.code for p in problems]


def test_a_test_diagram_laid_out_by_the_helper_passes():
    """Does tests/layout.py's automatic layout satisfy the check, named flows included?"""
    xml = (
        f'<bpmn:definitions {NS}><bpmn:process id="p" isExecutable="true">'
        '<bpmn:startEvent id="s" name="开始"/><bpmn:exclusiveGateway id="g" name="同意？"/>'
        '<bpmn:userTask id="a" name="办理"/><bpmn:endEvent id="e" name="结束"/>'
        '<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="a" name="同意"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e" name="不同意"/>'
        '<bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="e"/>'
        "</bpmn:process></bpmn:definitions>"
    ).encode()
    root = etree.fromstring(laid_out(xml))
    assert layout_problems(root, root.find("bpmn:process", NSMAP)) == []


def test_a_flow_through_its_own_gateways_name_is_reported():
    """Is a line drawn down through the name printed under its gateway (是否属实 struck through) reported?"""
    nodes = NODES | {"g": ("exclusiveGateway", "是否属实", (500, 200, 50, 50))}
    flows = FLOWS | {"f3": ("g", "check", None, [(525, 250), (525, 290), (300, 290)])}
    assert found(nodes, flows) == [("f3", "flow_crosses_shape")]
    assert found(nodes, flows, {"g": (555, 180, 60, 14)}) == []


def test_a_drawing_piled_up_to_make_the_check_crawl_is_refused_as_too_dense():
    """Diagrams are untrusted: 300 flows zig-zagging 60 times inside one spot are refused, not compared pair by pair."""
    zigzag = [(150 + (k % 2) * 40, 150 + k) for k in range(60)]
    flows = {f"z{i}": ("start", "end", None, zigzag) for i in range(300)}
    problems = layout_problems(*drawing(flows=flows))
    assert [(p.element_id, p.code) for p in problems] == [(None, "layout_too_dense")]
    assert "过于密集" in problems[0].message


def test_a_long_row_is_checked_near_by_near():
    """A row of 1,500 tasks joined one to the next reads well; a flow from the first to the last whose long
    lines pass under and over the row is reported exactly where it cuts through task t700."""
    nodes = {f"t{i}": ("userTask", "办理", (i * 150, 100, 100, 80)) for i in range(1500)}
    flows = {
        f"f{i}": (f"t{i}", f"t{i + 1}", None, [(i * 150 + 100, 140), (i * 150 + 150, 140)])
        for i in range(1499)
    }
    last, cut = 1499 * 150 + 50, 700 * 150 + 50
    flows["far"] = (
        "t0",
        "t1499",
        None,
        [(50, 180), (50, 400), (cut, 400), (cut, 60), (last, 60), (last, 100)],
    )
    problems = layout_problems(*drawing(nodes, flows))
    assert [(p.element_id, p.code) for p in problems] == [("far", "flow_crosses_shape")]
    assert "（t700）" in problems[0].message


@pytest.mark.parametrize("x", ["abc", "nan", "inf", "1e400"])
def test_a_waypoint_that_is_no_finite_number_is_reported_not_a_crash(x):
    """Is a bend point written as 'abc', NaN or infinity named as the flow's problem instead of failing the check?"""
    assert found(flows={"f1": ("start", "t", None, [(136, 118), (x, 118)])}) == [("f1", "bad_waypoint")]
