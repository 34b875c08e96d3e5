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

Diagrams are untrusted input, so the checks compare only things that lie near each other (a grid of
GRID-px cells) and give up on a drawing that would still need more than PAIR_BUDGET comparisons
(`layout_too_dense`): a 2 MB diagram of thousands of flows is checked in well under a second, and
one piled up to make the check crawl is refused instead.

Missing shapes and edges are validation.py's no_layout_shape / no_layout_edge; this module skips them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

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
GRID = 200.0  # px: a cell of the grid that finds what lies near a line or a box
MAX_SPAN = 64  # cells one box may cover before it is compared with everything instead
PAIR_BUDGET = 2_000_000  # comparisons a drawing may need; past them it is refused as too dense


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
    nodes, flows, hosts, containers, broken = _read(root, process)
    budget = _Budget(PAIR_BUDGET)
    try:
        problems = broken + _missing_labels(flows)
        problems += _crossings(nodes, flows, hosts, containers, budget)
        problems += _overlapping_labels(nodes, flows, budget)
        problems += _shared_segments(flows, budget)
    except _TooDense:
        detail = "流程图的画面过于密集（大量连线或名称挤在一处），无法检查是否清晰可读：请拆分或重新排布"
        return [DiagramProblem(None, None, "layout_too_dense", detail)]
    return problems


class _TooDense(Exception):
    """The drawing needs more comparisons than PAIR_BUDGET allows."""


class _Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise _TooDense


def _span(box: Box) -> list[tuple[int, int]] | None:
    """The grid cells a box touches; None when it is too large or not finite to place."""
    if not all(math.isfinite(v) for v in (box.x, box.y, box.width, box.height)):
        return None
    x0, y0 = math.floor(box.x / GRID), math.floor(box.y / GRID)
    x1 = math.floor((box.x + max(box.width, 0.0)) / GRID)
    y1 = math.floor((box.y + max(box.height, 0.0)) / GRID)
    if (x1 - x0 + 1) * (y1 - y0 + 1) > MAX_SPAN:
        return None
    return [(cx, cy) for cx in range(x0, x1 + 1) for cy in range(y0, y1 + 1)]


class _Grid:
    """Indexes of boxes by the cells they touch, so a check compares only what lies near."""

    def __init__(self, boxes: Sequence[Box]) -> None:
        self.count = len(boxes)
        self.cells: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
        self.anywhere: list[int] = []  # too large to place: near everything
        for index, box in enumerate(boxes):
            span = _span(box)
            if span is None:
                self.anywhere.append(index)
                continue
            for cell in span:
                self.cells[cell].append(index)

    def near(self, box: Box, budget: _Budget) -> list[int]:
        """The indexes of the boxes that may touch `box`, in order."""
        span = _span(box)
        if span is None:
            found: set[int] = set(range(self.count))
        else:
            found = set(self.anywhere)
            for cell in span:
                found.update(self.cells.get(cell, ()))
        budget.spend(len(found) + 1)
        return sorted(found)


def _segment_box(segment: Segment) -> Box:
    (x0, y0), (x1, y1) = segment
    return Box(
        min(x0, x1) - ON_LINE, min(y0, y1) - ON_LINE, abs(x1 - x0) + 2 * ON_LINE, abs(y1 - y0) + 2 * ON_LINE
    )


def _read(
    root: etree._Element, process: etree._Element
) -> tuple[dict[str, Node], list[Flow], dict[str, str], dict[str, set[str]], list[DiagramProblem]]:
    """The drawn nodes and flows, the host of each boundary event, the containers of each flow, and
    the flows whose points are no numbers."""
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
    broken: list[DiagramProblem] = []
    containers: dict[str, set[str]] = {}
    for el in process.iter(f"{{{BPMN}}}sequenceFlow"):
        edge = edges.get(el.get("id"))
        if edge is None:
            continue
        points = _waypoints(edge)
        if points is None:
            broken.append(
                located(
                    el.get("id"),
                    el.get("name"),
                    "sequenceFlow",
                    "bad_waypoint",
                    "连线的拐点坐标不是有效的数字：请在建模工具中重新连这条线",
                )
            )
            continue
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
    return nodes, flows, hosts, containers, broken


def _waypoints(edge: etree._Element) -> tuple[Point, ...] | None:
    """The edge's points, or None when one is not a finite number."""
    points = []
    for point in edge.iter(f"{{{DI}}}waypoint"):
        try:
            x, y = float(point.get("x", "")), float(point.get("y", ""))
        except ValueError:
            return None
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        points.append((x, y))
    return tuple(points)


def _bounds(el: etree._Element | None) -> Box | None:
    bounds = el.find(f"{{{DC}}}Bounds") if el is not None else None
    if bounds is None:
        return None
    try:
        box = Box(*(float(bounds.get(key, "")) for key in ("x", "y", "width", "height")))
    except ValueError:
        return None
    finite = all(math.isfinite(v) for v in (box.x, box.y, box.width, box.height))
    return box if finite else None


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
    nodes: dict[str, Node],
    flows: list[Flow],
    hosts: dict[str, str],
    containers: dict[str, set[str]],
    budget: _Budget,
) -> list[DiagramProblem]:
    # Every obstacle with what it is and whose: a node's shape (not in the way of its own flows or
    # of flows inside it), any name (its ends' names too: a line through 是否属实 hides it), and
    # other flows' names.
    obstacles: list[tuple[Box, str, str, str]] = []  # box, what, kind of obstacle, whose id
    for node in nodes.values():
        what = label(node.kind, node.element_id, node.name)
        obstacles.append((node.box, what, "shape", node.element_id))
        if node.label is not None:
            obstacles.append((node.label, f"{what}的名称", "name", node.element_id))
    for flow in flows:
        if flow.label is not None:
            what = label("sequenceFlow", flow.element_id, flow.name)
            obstacles.append((flow.label, f"{what}的名称", "flow_name", flow.element_id))
    grid = _Grid([box for box, _, _, _ in obstacles])
    problems = []
    for flow in flows:
        own = {flow.source, flow.target} | {hosts[end] for end in (flow.source, flow.target) if end in hosts}
        hits: set[int] = set()
        for segment in flow.segments():
            for index in grid.near(_segment_box(segment), budget):
                box, _, kind, whose = obstacles[index]
                if kind == "shape" and (whose in own or whose in containers[flow.element_id]):
                    continue
                if kind == "flow_name" and whose == flow.element_id:
                    continue
                if index not in hits and crosses(segment, box.shrunk(SHAPE_TOLERANCE)):
                    hits.add(index)
        for index in sorted(hits):
            problems.append(
                _flow_problem(flow, "flow_crosses_shape", f"连线穿过了{obstacles[index][1]}：{HINT_ROUTE}")
            )
    return problems


def _overlapping_labels(nodes: dict[str, Node], flows: list[Flow], budget: _Budget) -> list[DiagramProblem]:
    labels = [(n.label, n.element_id, n.name, n.kind) for n in nodes.values() if n.label is not None]
    labels += [(f.label, f.element_id, f.name, "sequenceFlow") for f in flows if f.label is not None]
    problems = []
    by_place = _Grid([box for box, _, _, _ in labels])
    for index, (box, element_id, name, kind) in enumerate(labels):
        for other_index in by_place.near(box, budget):
            other, other_id, other_name, other_kind = labels[other_index]
            if other_index > index and box.overlaps(other):
                what = label(other_kind, other_id, other_name)
                detail = f"名称与{what}的名称重叠，看不清：请在建模工具中把其中一个名称移开"
                problems.append(located(element_id, name, kind, "labels_overlap", detail))
    shapes = list(nodes.values())
    shape_grid = _Grid([node.box for node in shapes])
    for box, element_id, name, kind in labels:
        for node_index in shape_grid.near(box, budget):
            node = shapes[node_index]
            if node.element_id != element_id and box.overlaps(node.box):
                what = label(node.kind, node.element_id, node.name)
                detail = f"名称压在{what}上，看不清：请在建模工具中把名称移开"
                problems.append(located(element_id, name, kind, "label_covers_shape", detail))
    return problems


def _shared_segments(flows: list[Flow], budget: _Budget) -> list[DiagramProblem]:
    segments = [(index, segment) for index, flow in enumerate(flows) for segment in flow.segments()]
    grid = _Grid([_segment_box(segment) for _, segment in segments])
    problems = []
    for index, flow in enumerate(flows):
        longest: dict[int, float] = {}
        for segment in flow.segments():
            for found in grid.near(_segment_box(segment), budget):
                other_index, other_segment = segments[found]
                if other_index > index:
                    shared = shared_length(segment, other_segment)
                    longest[other_index] = max(longest.get(other_index, 0.0), shared)
        for other_index in sorted(longest):
            shared = longest[other_index]
            if shared > MIN_SHARED_LENGTH:
                other = flows[other_index]
                what = label("sequenceFlow", other.element_id, other.name)
                detail = (
                    f"与{what}有约 {round(shared)} 像素走在同一条线上，看不出哪条通向哪里："
                    "请在建模工具中让它们各走各的线"
                )
                problems.append(_flow_problem(flow, "flows_share_segment", detail))
    return problems
