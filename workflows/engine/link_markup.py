"""Links to a case of another diagram, named by its tracking number in a task's form (ERR-2, PUB-9).

```xml
<govflow:caseLink field="correction_case" process="publishing" copy="published_url" into="corrected_url"/>
```
on a user task: when the task is completed with `field` filled, the service checks that it names a
case of the diagram `process` that the person may see and that already holds `copy`, records the
link in both cases' history, and puts that value into `into` of this case. A blank field clears
`into`, so the last answer decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from ..forms import Form
from .markup import EXTENSIONS, GOVFLOW_NS, check_attributes, is_field_name
from .problems import DiagramError, at, refuse

if TYPE_CHECKING:
    from .parser import ParsedDefinition

_ATTRIBUTES = frozenset({"field", "process", "copy", "into"})


@dataclass(frozen=True)
class CaseLink:
    """A form field naming a case of another diagram, and what this case takes from it."""

    field: str
    process: str
    copy: str | None = None
    into: str | None = None


def read_case_links(process: etree._Element, parsed: ParsedDefinition) -> dict[str, CaseLink]:
    """Every user task's govflow:caseLink, checked against the task's form."""
    found: dict[str, CaseLink] = {}
    for el in process.iter(f"{{{GOVFLOW_NS}}}caseLink"):
        parent = el.getparent()
        owner = parent.getparent() if parent is not None else None
        if owner is None or parent.tag != EXTENSIONS or etree.QName(owner).localname != "userTask":
            raise refuse(
                next((a for a in el.iterancestors() if a.get("id")), None),
                "markup_misplaced",
                "govflow:caseLink 须直接放在用户任务的 bpmn:extensionElements 中",
            )
        task_id = owner.get("id")
        check_attributes(el, owner, _ATTRIBUTES, "govflow:caseLink")
        link = CaseLink(el.get("field", ""), el.get("process", ""), el.get("copy"), el.get("into"))
        problems = _problems(link, parsed.forms.get(task_id, Form()))
        if task_id in found:
            problems.append("一个任务至多有一个 govflow:caseLink")
        if problems:
            raise DiagramError(*(at(owner, "invalid_case_link", problem) for problem in problems))
        found[task_id] = link
    return found


def _problems(link: CaseLink, form: Form) -> list[str]:
    types = {f.name: f.type for f in form.fields}
    problems = []
    if types.get(link.field) != "string":
        problems.append(f"govflow:caseLink 的 field=“{link.field}”须是本任务表单中的 string 字段")
    if not is_field_name(link.process):
        problems.append(f"govflow:caseLink 的 process=“{link.process}”须是某个流程图的流程 id")
    if (link.copy is None) != (link.into is None):
        problems.append("govflow:caseLink 的 copy 和 into 须同时写")
    for name in (link.copy, link.into):
        if name is not None and not is_field_name(name):
            problems.append(f"govflow:caseLink 的“{name}”须是数据字段名")
    if link.into in types:
        problems.append(f"govflow:caseLink 的 into=“{link.into}”由系统填写，不能是表单字段")
    return problems
