"""What stopped a step, as a problem of the diagram element at fault.

A diagram deployed before deploy checked everything (or a case the diagram's scripts cannot handle)
can break a step. The caller refuses the step and stores nothing; these functions say which element
broke it and why, in the same shape deploy uses, so an administrator knows what to correct.
"""

from __future__ import annotations

import logging
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.exceptions import WorkflowException

from ..profiles import Profile
from .calendar_functions import UnknownDeadlineName
from .problems import KINDS, DiagramProblem, StepRefused, located
from .script_guards import ScriptLimitExceeded, ScriptRejected
from .serializer import GovWorkflow

logger = logging.getLogger(__name__)
# SpiffWorkflow task spec classes by the BPMN tag they come from (UserTask → userTask).
_TAGS = {kind[0].upper() + kind[1:]: kind for kind in KINDS}


# What a step can raise because of its diagram: the engine's errors, and what escapes its wrapping
# (a bug, or a diagram no check foresaw).
STEP_ERRORS = (WorkflowException, ValueError, TypeError, ArithmeticError)


def step_problem(err: Exception) -> DiagramProblem:
    """The element a step stopped at (None when the engine does not say) and why, in Chinese."""
    if not isinstance(err, WorkflowException):
        logger.exception("a step failed inside the engine", exc_info=err)
        return DiagramProblem(None, None, "workflow_error", f"流程引擎出错（{type(err).__name__}: {err}）")
    code, detail = _why(err, err.__cause__ or err.__context__)
    if err.task_spec is None:
        return DiagramProblem(None, None, code, detail)
    return located(*_element(err.task_spec), code, detail)


def refusal_title(problems: list[DiagramProblem]) -> str:
    """What the person whose step was refused reads: nothing stored, where it broke, whom to ask."""
    return f"流程无法继续，本次操作未保存。{problems[0].message}。请联系管理员更正流程图"


def _why(err: WorkflowException, cause: BaseException | None) -> tuple[str, str]:
    if isinstance(err, StepRefused):
        return err.code, str(err.args[0])
    if isinstance(cause, ScriptRejected):
        return "script_refused", f"脚本或表达式被安全沙箱拒绝：{cause}"
    if isinstance(cause, ScriptLimitExceeded):
        return "script_too_large", f"脚本超出了大小限制：{cause}"
    if isinstance(cause, UnknownDeadlineName):
        return "unknown_deadline", str(cause)
    if isinstance(cause, NameError):
        return (
            "script_failed",
            f"脚本或表达式用到了案件数据中没有的名称 {getattr(cause, 'name', '') or cause}",
        )
    if cause is not None and not isinstance(cause, WorkflowException):
        return "script_failed", f"脚本或表达式执行出错（{type(cause).__name__}: {cause}）"
    return "workflow_error", f"流程无法继续（{str(err.args[0]) if err.args else err}）"


def _element(spec: Any) -> tuple[str, str | None, str | None]:
    """The id, name and BPMN tag of the element a task spec comes from."""
    element_id = spec.bpmn_id or spec.name
    if isinstance(spec, LoopTask):  # a multi-instance task: its name and kind are its instances'
        spec = spec._wf_spec.task_specs.get(spec.task_spec, spec)
    kind = next((_TAGS[c.__name__] for c in type(spec).__mro__ if c.__name__ in _TAGS), None)
    return element_id, spec.bpmn_name, kind


def unknown_deadlines(workflow: GovWorkflow, profile: Profile) -> list[DiagramProblem]:
    """Deadlines the last step needs (the case's, those of the elements it reached) the profile lacks.

    The service reads them right after the step, when it opens tasks and moves clocks; a name the
    profile lacks would otherwise fail there with no word of which element names it.
    """
    definition = workflow.definition
    if definition is None:
        return []
    elements = {definition.process_id, *workflow.reached}
    problems = []
    for element_id, name in sorted(definition.deadline_uses(elements)):
        if name in profile.deadlines:
            continue
        detail = f"期限“{name}”在当前机构配置（{profile.title}）中没有定义"
        spec = workflow.spec.task_specs.get(element_id)
        if spec is None:  # the process itself: the case's own deadline
            problems.append(located(element_id, definition.name, "process", "unknown_deadline", detail))
        else:
            problems.append(located(*_element(spec), "unknown_deadline", detail))
    return problems
