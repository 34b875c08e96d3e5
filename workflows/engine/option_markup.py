"""Options a form offers only for a value of the case data: `onlyIf` and `whyNot` (MBX-4).

`<govflow:option value="public" label="公开" onlyIf="publish_consent=yes" whyNot="来信人不同意公开"/>`
is offered, and accepted, only while that field (of the same form, else of the case data) has that
value; choosing it anyway is refused with the reason.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from lxml import etree

from ..forms import Option
from .markup import NSMAP, read_condition

if TYPE_CHECKING:
    from .parser import ParsedDefinition


def read_option(el: etree._Element) -> Option:
    """One govflow:option; its condition is checked once every form is known."""
    only_if = el.get("onlyIf")
    name, _, value = (only_if or "").partition("=")
    condition = (name.strip(), value.strip()) if only_if is not None else None
    return Option(el.get("value", ""), el.get("label") or el.get("value", ""), condition, el.get("whyNot"))


def check_option_conditions(process: etree._Element, parsed: ParsedDefinition) -> None:
    """Refuse an onlyIf that names no field of the diagram's forms, or a value its field does not offer.

    A field a script task of the diagram sets counts too, with any value: a timer's branch may close
    an option once a window has passed (a misrouted petition's objection, NAT-5).
    """
    fields = parsed.every_field()
    scripted = _script_assigned(process)
    for el in process.iterfind(".//govflow:option[@onlyIf]", NSMAP):
        owner = next(a for a in el.iterancestors() if a.get("id"))
        name = (el.get("onlyIf") or "").partition("=")[0].strip()
        if name in scripted and name not in {f.name for f in fields.fields}:
            continue
        where = "流程图各表单（或脚本任务所赋值的字段）"
        read_condition(el.get("onlyIf"), owner, fields, "govflow:option 的 onlyIf", where)


def _script_assigned(process: etree._Element) -> set[str]:
    """The plain names script tasks assign (`objection_window = "closed"`)."""
    names: set[str] = set()
    for script in process.iterfind(".//bpmn:scriptTask/bpmn:script", NSMAP):
        try:
            tree = ast.parse(script.text or "")
        except SyntaxError:
            continue  # the sandbox's check reports it
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names
