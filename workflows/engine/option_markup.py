"""Options a form offers only for a value of the case data: `onlyIf` and `whyNot` (MBX-4).

`<govflow:option value="public" label="公开" onlyIf="publish_consent=yes" whyNot="来信人不同意公开"/>`
is offered, and accepted, only while that field (of the same form, else of the case data) has that
value; choosing it anyway is refused with the reason.
"""

from __future__ import annotations

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
    """Refuse an onlyIf that names no field of the diagram's forms, or a value its field does not offer."""
    fields = parsed.every_field()
    for el in process.iterfind(".//govflow:option[@onlyIf]", NSMAP):
        owner = next(a for a in el.iterancestors() if a.get("id"))
        read_condition(el.get("onlyIf"), owner, fields, "govflow:option 的 onlyIf", "流程图各表单")
