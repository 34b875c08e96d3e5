"""What is wrong with a diagram, in one shape: the element, a stable code and a Chinese message.

Parsing, `flask validate`, deploy and a step that breaks on a diagram all report problems this
way, so an administrator reads the same words everywhere and a diagram editor can mark the element.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

# How an administrator calls each kind of element (BPMN's own Chinese names).
KINDS = {
    "process": "流程",
    "lane": "泳道",
    "userTask": "用户任务",
    "manualTask": "人工任务",
    "scriptTask": "脚本任务",
    "serviceTask": "服务任务",
    "task": "任务",
    "subProcess": "子流程",
    "callActivity": "调用活动",
    "startEvent": "开始事件",
    "endEvent": "结束事件",
    "intermediateCatchEvent": "中间捕获事件",
    "intermediateThrowEvent": "中间抛出事件",
    "boundaryEvent": "边界事件",
    "exclusiveGateway": "排他网关",
    "parallelGateway": "并行网关",
    "inclusiveGateway": "包容网关",
    "eventBasedGateway": "事件网关",
    "sequenceFlow": "顺序流",
}


@dataclass(frozen=True)
class DiagramProblem:
    """One problem of a diagram; element_id and element_name are None for the diagram as a whole."""

    element_id: str | None
    element_name: str | None
    code: str  # stable snake_case, e.g. unknown_deadline
    message: str  # Chinese, naming the element and saying what to do

    def to_dict(self) -> dict[str, Any]:
        """The problem as the API and the CLI give it."""
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"


class DiagramError(ValueError):
    """A diagram that cannot be deployed, with the problems that stop it."""

    def __init__(self, *problems: DiagramProblem) -> None:
        super().__init__("；".join(p.message for p in problems))
        self.problems = problems


def label(kind: str | None, element_id: str | None, name: str | None) -> str:
    """How a message names an element: 用户任务“办理”（t）, or 用户任务 t when it has no name."""
    what = KINDS.get(kind or "", "元素")
    return f"{what}“{name}”（{element_id}）" if name else f"{what} {element_id}"


def at(el: etree._Element | None, code: str, detail: str) -> DiagramProblem:
    """A problem of one element of the diagram (or of the whole diagram when `el` is None)."""
    if el is None:
        return DiagramProblem(None, None, code, detail)
    name = (el.get("name") or "").strip() or None
    kind = etree.QName(el).localname
    return located(el.get("id"), name, kind, code, detail)


def located(
    element_id: str | None, name: str | None, kind: str | None, code: str, detail: str
) -> DiagramProblem:
    """A problem of the element with this id, name and kind (a BPMN tag such as userTask)."""
    if element_id is None:
        return DiagramProblem(None, None, code, detail)
    return DiagramProblem(element_id, name or None, code, f"{label(kind, element_id, name)}：{detail}")


def refuse(el: etree._Element | None, code: str, detail: str) -> DiagramError:
    """The error for one problem of one element."""
    return DiagramError(at(el, code, detail))


class StepRefused(WorkflowTaskException):
    """The engine stopped a step at a task because of its diagram; `code` says why (snake_case)."""

    def __init__(self, code: str, message: str, task: Any) -> None:
        super().__init__(message, task=task)
        self.code = code
