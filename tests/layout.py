"""A plain layout for diagrams a test writes by hand: deploy refuses a diagram it cannot draw."""

from __future__ import annotations

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
EDGES = ("sequenceFlow",)


def laid_out(xml: bytes) -> bytes:
    """The diagram with a shape for every node and lane and an edge for every flow, in a row.

    Each element has a column of its own (120 px), so no flow crosses a shape, no two labels meet
    and no two flows share a line: the layout check (workflows/engine/layout_check.py) passes.
    """
    root = etree.fromstring(xml)
    process = root.find(f"{{{BPMN}}}process")
    diagram = etree.SubElement(root, f"{{{BPMNDI}}}BPMNDiagram", id="Diagram_test", nsmap={"bpmndi": BPMNDI})
    plane = etree.SubElement(
        diagram, f"{{{BPMNDI}}}BPMNPlane", id="Plane_test", bpmnElement=process.get("id")
    )
    for index, el in enumerate(e for e in process.iter() if isinstance(e.tag, str) and e.get("id")):
        kind = etree.QName(el).localname
        if kind in ("laneSet", "timerEventDefinition", "process") or etree.QName(el).namespace != BPMN:
            continue
        if kind in EDGES:
            edge = etree.SubElement(
                plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{el.get('id')}_di", bpmnElement=el.get("id")
            )
            for x in (index * 120, index * 120 + 60):
                etree.SubElement(edge, f"{{{DI}}}waypoint", x=str(x), y="100", nsmap={"di": DI})
            if el.get("name"):  # under its own line, in its own column: clear of every shape
                bounds = {"x": str(index * 120), "y": "106", "width": "60", "height": "14"}
                label = etree.SubElement(edge, f"{{{BPMNDI}}}BPMNLabel")
                etree.SubElement(label, f"{{{DC}}}Bounds", bounds, nsmap={"dc": DC})
            continue
        shape = etree.SubElement(
            plane, f"{{{BPMNDI}}}BPMNShape", id=f"{el.get('id')}_di", bpmnElement=el.get("id")
        )
        etree.SubElement(
            shape, f"{{{DC}}}Bounds", x=str(index * 120), y="80", width="100", height="80", nsmap={"dc": DC}
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
