"""govflow's own markup in a diagram: its namespace, the error it raises, shared checks."""

from __future__ import annotations

from lxml import etree

GOVFLOW_NS = "urn:govflow:bpmn:1.0"
NSMAP = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "govflow": GOVFLOW_NS}
EXTENSIONS = f"{{{NSMAP['bpmn']}}}extensionElements"


class DiagramError(ValueError):
    """A diagram that cannot be deployed, with a message a modeller can act on."""


def check_attributes(el: etree._Element, element_id: str, allowed: frozenset[str], what: str) -> None:
    """Refuse attributes an element does not take, naming them and the ones it does."""
    # A misspelt attribute (form= for from=) would otherwise be dropped and change the rule.
    unknown = ", ".join(sorted(set(el.attrib) - allowed))
    if unknown:
        raise DiagramError(
            f"element {element_id!r}: {what} takes no {unknown} (only {', '.join(sorted(allowed))})"
        )


def is_field_name(name: str) -> bool:
    """Can `name` be a key of the case data (an identifier not starting with '_')?"""
    return name.isascii() and name.isidentifier() and not name.startswith("_")
