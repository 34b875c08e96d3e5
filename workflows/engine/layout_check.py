"""Whether a diagram's drawing can be read: the geometry of its diagram interchange (bpmndi).

A leader reads a diagram as a picture, so a flow that runs through a task, two labels printed over
each other or two flows sharing one line make it wrong even when the process runs. The checks, all
in diagram pixels:

- a flow's segments may not pass through a task, event or gateway other than its own source and
  target (nor the task a boundary event it leaves sits on), nor through any label but its own (a
  gateway's name under it as well); a flow may graze a shape's or label's edge by SHAPE_TOLERANCE px;
- a label (a flow's, or an event's or gateway's external one) may not overlap another label or a
  shape other than its own by more than LABEL_TOLERANCE px either way (a task's name is inside it);
- two flows may not run along the same line for more than MIN_SHARED_LENGTH px: touching at a point,
  or leaving one gateway corner together and splitting at once, is fine;
- every named flow carries its label's position (bpmndi:BPMNLabel with dc:Bounds).

Missing shapes and edges are validation.py's no_layout_shape / no_layout_edge; this module skips them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

from lxml import etree

from .problems import DiagramProblem, label, located

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

SHAPE_TOLERANCE = 3.0  # px a flow may cut into a shape's or label's edge
LABEL_TOLERANCE = 2.0  # px two boxes may overlap in both directions and still read apart
MIN_SHARED_LENGTH = 10.0  # px two flows may run together (a shared corner, a common start)
ON_LINE = 1.0  # px off a line that still counts as lying on it
# bpmn-js puts an event's or gateway's name, when the file gives no position, in a box this size
# centred under the shape.
DEFAULT_LABEL = (90.0, 20.0)
TASKS = (
    *("userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask"),
    *("businessRuleTask", "task", "subProcess", "callActivity"),
)
EVENTS = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent")
GATEWAYS = ("exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway")
HINT_ROUTE = "请在建模工具中让连线绕开它"


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in diagram pixels."""

    x: float
    y: float
    width: float
    height: float

    def shrunk(self, by: float) -> Box:
        return Box(self.x + by, self.y + by, self.width - 2 * by, self.height - 2 * by)

    def overlaps(self, other: Box, tolerance: float = LABEL_TOLERANCE) -> bool:
        """Whether the two overlap by more than `tolerance` px horizontally and vertically."""
        across = min(self.x + self.width, other.x + other.width) - max(self.x, other.x)
        down = min(self.y + self.height, other.y + other.height) - max(self.y, other.y)
        return across > tolerance and down > tolerance


Point = tuple[float, float]
Segment = tuple[Point, Point]


def crosses(segment: Segment, box: Box) -> bool:
    """Whether the segment passes through the inside of the box (Liang-Barsky clipping)."""
    if box.width <= 0 or box.height <= 0:
        return False
    (x0, y0), (x1, y1) = segment
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, x0 - box.x),
        (dx, box.x + box.width - x0),
        (-dy, y0 - box.y),
        (dy, box.y + box.height - y0),
    ):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low >= high:
            return False
    return True


def shared_length(a: Segment, b: Segment) -> float:
    """How far two segments run along the same line (0 unless they lie on one line and overlap)."""
    (ax, ay), (bx, by) = a
    length = math.hypot(bx - ax, by - ay)
    if length == 0:
        return 0.0
    ux, uy = (bx - ax) / length, (by - ay) / length
    along = []
    for px, py in b:
        if abs((px - ax) * uy - (py - ay) * ux) > ON_LINE:
            return 0.0
        along.append((px - ax) * ux + (py - ay) * uy)
    return max(0.0, min(length, max(along)) - max(0.0, min(along)))


@dataclass(frozen=True)
class Node:
    element_id: str
    name: str | None
    kind: str
    box: Box
    label: Box | None  # an event's or gateway's external label


@dataclass(frozen=True)
class Flow:
    element_id: str
    name: str | None
    source: str
    target: str
    points: tuple[Point, ...]
    label: Box | None

    def segments(self) -> Iterator[Segment]:
        yield from zip(self.points, self.points[1:], strict=False)


def layout_problems(root: etree._Element, process: etree._Element) -> list[DiagramProblem]:
    """Every way the drawing of `process` cannot be read (an empty list when it can)."""
    nodes, flows, hosts, containers = _read(root, process)
    problems = _missing_labels(flows)
    problems += _crossings(nodes, flows, hosts, containers)
    problems += _overlapping_labels(nodes, flows)
    problems += _shared_segments(flows)
    return problems


def _read(
    root: etree._Element, process: etree._Element
) -> tuple[dict[str, Node], list[Flow], dict[str, str], dict[str, set[str]]]:
    """The drawn nodes and flows, the host of each boundary event, the containers of each flow."""
    shapes = {el.get("bpmnElement"): el for el in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    edges = {el.get("bpmnElement"): el for el in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
    nodes: dict[str, Node] = {}
    hosts: dict[str, str] = {}
    for el in process.iter(*(f"{{{BPMN}}}{kind}" for kind in (*TASKS, *EVENTS, *GATEWAYS))):
        kind, element_id = etree.QName(el).localname, el.get("id") or ""
        if kind == "boundaryEvent" and el.get("attachedToRef"):
            hosts[element_id] = el.get("attachedToRef") or ""
        shape = shapes.get(element_id)
        box = _bounds(shape)
        if shape is None or box is None:
            continue
        name = (el.get("name") or "").strip() or None
        external = None
        if kind not in TASKS and name:
            external = _bounds(shape.find(f"{{{BPMNDI}}}BPMNLabel")) or _default_label(box)
        nodes[element_id] = Node(element_id, name, kind, box, external)
    flows = []
    containers: dict[str, set[str]] = {}
    for el in process.iter(f"{{{BPMN}}}sequenceFlow"):
        edge = edges.get(el.get("id"))
        if edge is None:
            continue
        points = tuple((float(p.get("x", 0)), float(p.get("y", 0))) for p in edge.iter(f"{{{DI}}}waypoint"))
        flows.append(
            Flow(
                el.get("id") or "",
                (el.get("name") or "").strip() or None,
                el.get("sourceRef") or "",
                el.get("targetRef") or "",
                points,
                _bounds(edge.find(f"{{{BPMNDI}}}BPMNLabel")),
            )
        )
        containers[el.get("id") or ""] = {a.get("id") or "" for a in el.iterancestors()}
    return nodes, flows, hosts, containers


def _bounds(el: etree._Element | None) -> Box | None:
    bounds = el.find(f"{{{DC}}}Bounds") if el is not None else None
    if bounds is None:
        return None
    try:
        return Box(*(float(bounds.get(key, "")) for key in ("x", "y", "width", "height")))
    except ValueError:
        return None


def _default_label(box: Box) -> Box:
    width, height = DEFAULT_LABEL
    return Box(box.x + box.width / 2 - width / 2, box.y + box.height, width, height)


def _flow_problem(flow: Flow, code: str, detail: str) -> DiagramProblem:
    return located(flow.element_id, flow.name, "sequenceFlow", code, detail)


def _missing_labels(flows: Iterable[Flow]) -> list[DiagramProblem]:
    return [
        _flow_problem(
            flow,
            "flow_label_missing",
            "有名称却没有标签位置（BPMNLabel 的 dc:Bounds）：请在建模工具中把名称拖到连线旁合适的位置",
        )
        for flow in flows
        if flow.name and flow.label is None
    ]


def _crossings(
    nodes: dict[str, Node], flows: list[Flow], hosts: dict[str, str], containers: dict[str, set[str]]
) -> list[DiagramProblem]:
    problems = []
    for flow in flows:
        own = {flow.source, flow.target} | {hosts[end] for end in (flow.source, flow.target) if end in hosts}
        obstacles: list[tuple[Box, str]] = []
        for node in nodes.values():
            if node.element_id not in own and node.element_id not in containers[flow.element_id]:
                obstacles.append((node.box, label(node.kind, node.element_id, node.name)))
            if node.label is not None:  # its ends' names too: a line through 是否属实 hides it
                obstacles.append((node.label, f"{label(node.kind, node.element_id, node.name)}的名称"))
        for other in flows:
            if other.label is not None and other is not flow:
                obstacles.append(
                    (other.label, f"{label('sequenceFlow', other.element_id, other.name)}的名称")
                )
        for box, what in obstacles:
            if any(crosses(segment, box.shrunk(SHAPE_TOLERANCE)) for segment in flow.segments()):
                problems.append(_flow_problem(flow, "flow_crosses_shape", f"连线穿过了{what}：{HINT_ROUTE}"))
    return problems


def _overlapping_labels(nodes: dict[str, Node], flows: list[Flow]) -> list[DiagramProblem]:
    labels = [(n.label, n.element_id, n.name, n.kind) for n in nodes.values() if n.label is not None]
    labels += [(f.label, f.element_id, f.name, "sequenceFlow") for f in flows if f.label is not None]
    problems = []
    for (box, element_id, name, kind), (other, other_id, other_name, other_kind) in combinations(labels, 2):
        if box.overlaps(other):
            what = label(other_kind, other_id, other_name)
            detail = f"名称与{what}的名称重叠，看不清：请在建模工具中把其中一个名称移开"
            problems.append(located(element_id, name, kind, "labels_overlap", detail))
    for box, element_id, name, kind in labels:
        for node in nodes.values():
            if node.element_id != element_id and box.overlaps(node.box):
                what = label(node.kind, node.element_id, node.name)
                detail = f"名称压在{what}上，看不清：请在建模工具中把名称移开"
                problems.append(located(element_id, name, kind, "label_covers_shape", detail))
    return problems


def _shared_segments(flows: list[Flow]) -> list[DiagramProblem]:
    problems = []
    for flow, other in combinations(flows, 2):
        shared = max(
            (shared_length(a, b) for a in flow.segments() for b in other.segments()),
            default=0.0,
        )
        if shared > MIN_SHARED_LENGTH:
            what = label("sequenceFlow", other.element_id, other.name)
            detail = (
                f"与{what}有约 {round(shared)} 像素走在同一条线上，看不出哪条通向哪里："
                "请在建模工具中让它们各走各的线"
            )
            problems.append(_flow_problem(flow, "flows_share_segment", detail))
    return problems
