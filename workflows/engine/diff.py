"""The difference between two versions of a diagram, element by element, as an administrator reads it.

Elements are matched by id. For each element the properties that change what a case does are
compared: its name, its lane (who acts), the project's extension markup (form fields by name,
deadlines, clock actions, notices, service operations, scripts) and a sequence flow's source,
target and condition. The layout (shapes, edges) is not compared: moving a shape changes nothing
a case does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from lxml import etree

from .parser import NSMAP, load_xml

BPMN = NSMAP["bpmn"]
# Children of a flow element that are its parts, not elements of their own.
NOT_ELEMENTS = {"laneSet", "lane", "extensionElements", "incoming", "outgoing", "documentation"}
# BPMN children whose text or attributes say what the element does.
BEHAVIOUR = ("conditionExpression", "script", "timerEventDefinition", "multiInstanceLoopCharacteristics")


@dataclass(frozen=True)
class Element:
    element_id: str
    element_name: str | None
    type: str


@dataclass(frozen=True)
class Change:
    property: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Changed:
    element_id: str
    element_name: str | None
    type: str
    changes: list[Change]


@dataclass
class DiagramDiff:
    added: list[Element] = field(default_factory=list)
    removed: list[Element] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The difference as the API gives it."""
        return asdict(self)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def diagram_diff(before: bytes, after: bytes) -> DiagramDiff:
    """What changed from the diagram `before` to the diagram `after` (both parsed as untrusted XML)."""
    old, new = elements_of(load_xml(before)), elements_of(load_xml(after))
    diff = DiagramDiff()
    diff.added = [_element(el) for key, el in new.items() if key not in old]
    diff.removed = [_element(el) for key, el in old.items() if key not in new]
    old_lanes, new_lanes = lanes_of(load_xml(before)), lanes_of(load_xml(after))
    for key, el in new.items():
        if key not in old:
            continue
        changes = _changes(properties(old[key], old_lanes), properties(el, new_lanes))
        if changes:
            summary = _element(el)
            diff.changed.append(Changed(summary.element_id, summary.element_name, summary.type, changes))
    return diff


def elements_of(root: etree._Element) -> dict[str, etree._Element]:
    """Every flow element (tasks, events, gateways, flows …) of every process, by id, in document order."""
    found: dict[str, etree._Element] = {}
    for container in root.iter(f"{{{BPMN}}}process", f"{{{BPMN}}}subProcess"):
        for child in container:
            if not isinstance(child.tag, str) or etree.QName(child).namespace != BPMN:
                continue
            if etree.QName(child).localname in NOT_ELEMENTS or not child.get("id"):
                continue
            found[child.get("id")] = child
    return found


def lanes_of(root: etree._Element) -> dict[str, str]:
    """The name of the lane each flow node is drawn in, by node id."""
    lanes: dict[str, str] = {}
    for lane in root.iter(f"{{{BPMN}}}lane"):
        for ref in lane.iterfind("bpmn:flowNodeRef", NSMAP):
            lanes[(ref.text or "").strip()] = lane.get("name") or lane.get("id") or ""
    return lanes


def properties(el: etree._Element, lanes: dict[str, str]) -> dict[str, str]:
    """What an element does, as property → value (a property it lacks is absent)."""
    props = {"name": el.get("name"), "lane": lanes.get(el.get("id", ""))}
    for attribute in ("sourceRef", "targetRef", "attachedToRef", "cancelActivity", "default"):
        props[attribute.removesuffix("Ref")] = el.get(attribute)
    for tag in BEHAVIOUR:
        child = el.find(f"bpmn:{tag}", NSMAP)
        name = "condition" if tag == "conditionExpression" else tag
        props[name] = _canonical(child) if child is not None else None
    extensions = el.find("bpmn:extensionElements", NSMAP)
    if extensions is not None:
        props.update(_extension_properties(extensions, set(props)))
    return {name: value for name, value in props.items() if value not in (None, "")}


def _extension_properties(extensions: etree._Element, taken: set[str]) -> dict[str, str]:
    props: dict[str, str] = {}
    for child in extensions:
        if not isinstance(child.tag, str):
            continue
        kind = etree.QName(child).localname
        if kind == "form":
            props.update(_form_properties(child))
            continue
        key = kind
        number = 2
        while key in props or key in taken:  # several clock actions, notices …: numbered in document order
            key, number = f"{kind}#{number}", number + 1
        props[key] = _canonical(child)
    return props


def _form_properties(form: etree._Element) -> dict[str, str]:
    """A form field's attributes and options, each its own property: `field:<name>.<attribute>`."""
    props: dict[str, str] = {}
    for position, field_el in enumerate(form, 1):
        if not isinstance(field_el.tag, str):
            continue
        name = field_el.get("name") or f"#{position}"
        for attribute, value in sorted(field_el.attrib.items()):
            if attribute != "name":
                props[f"field:{name}.{attribute}"] = value
        options = [_canonical(option) for option in field_el if isinstance(option.tag, str)]
        if options:
            props[f"field:{name}.options"] = "；".join(options)
    return props


def _canonical(el: etree._Element) -> str:
    """An element's attributes, text and children as one comparable line."""
    pairs = sorted((etree.QName(k).localname, v) for k, v in el.attrib.items() if k != "id")
    attributes = " ".join(f'{k}="{v}"' for k, v in pairs)
    children = "；".join(_canonical(c) for c in el if isinstance(c.tag, str))
    parts = [attributes, (el.text or "").strip(), f"[{children}]" if children else ""]
    return " ".join(p for p in parts if p)


def _changes(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    names = list(before) + [name for name in after if name not in before]
    return [Change(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


def _element(el: etree._Element) -> Element:
    name = (el.get("name") or "").strip() or None
    return Element(el.get("id", ""), name, etree.QName(el).localname)
