"""govflow's own markup in a diagram: its namespace, the error it raises, shared checks."""

from __future__ import annotations

from lxml import etree

from ..forms import Form

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


def read_condition(
    text: str | None, task_id: str, form: Form, what: str = "clock", where: str = "the task's form"
) -> tuple[str, str] | None:
    """`field=value` on a field of `form` (an enum's value must be one of its options)."""
    if text is None:
        return None
    name, sep, value = (part.strip() for part in text.partition("="))
    if not sep or name not in {f.name for f in form.fields}:
        raise DiagramError(f"element {task_id!r}: {what} when={text!r} must be 'field=value' on {where}")
    options = {o.value for f in form.fields if f.name == name for o in f.options}
    if options and value not in options:
        raise DiagramError(
            f"element {task_id!r}: {what} when={text!r}: {value!r} is not an option of {name!r}"
        )
    return name, value
