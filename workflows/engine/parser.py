"""Diagram parsing: hardened XML in, a cached SpiffWorkflow spec plus govflow's metadata out."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.defaults import BoundaryEvent, IntermediateCatchEvent, StartEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask, ParallelMultiInstanceTask
from SpiffWorkflow.spiff.parser.event_parsers import (
    SpiffBoundaryEventParser,
    SpiffIntermediateCatchEventParser,
    SpiffStartEventParser,
)
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import ServiceTask as SpiffServiceTask

from ..forms import Form, FormField, check_field_definition, check_form_definition, holds
from ..handlers import check_parameters
from ..notices import Notice
from .approvals import read_approvals
from .deadline_markup import (
    CaseDeadline,
    ClockAction,
    TaskDeadlineStart,
    case_deadline,
    read_deadlines,
    read_end_outcomes,
)
from .limits import capped
from .link_markup import CaseLink, read_case_links
from .markup import NSMAP, assignee_fields, is_field_name, lane_department_fields, read_notices
from .option_markup import check_option_conditions, read_option
from .problems import DiagramError, DiagramProblem, at, located, refuse
from .timers import with_clock

MAX_DIAGRAM_BYTES = 2 * 1024 * 1024
MAX_ELEMENTS = 20000


class _ClockTimers:
    def parse_timer_event(self, event):
        return with_clock(super().parse_timer_event(event))


class _StartEventParser(_ClockTimers, SpiffStartEventParser):
    pass


class _CatchEventParser(_ClockTimers, SpiffIntermediateCatchEventParser):
    pass


class _BoundaryEventParser(_ClockTimers, SpiffBoundaryEventParser):
    pass


class GovParser(SpiffBpmnParser):
    """SpiffWorkflow's parser with timers that read the workflow's clock and capped parallel tasks."""

    OVERRIDE_PARSER_CLASSES = {
        tag: (capped(parser), spec)
        for tag, (parser, spec) in {
            **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
            full_tag("startEvent"): (_StartEventParser, StartEvent),
            full_tag("intermediateCatchEvent"): (_CatchEventParser, IntermediateCatchEvent),
            full_tag("boundaryEvent"): (_BoundaryEventParser, BoundaryEvent),
        }.items()
    }


@dataclass
class ParsedDefinition:
    """One deployed diagram: the runnable spec and what the service needs to know about it."""

    process_id: str
    name: str
    content_hash: str
    spec: object
    subprocess_specs: dict
    documentation: str = ""
    tracking_prefix: str = "AJ"
    start_form: Form | None = None
    forms: dict[str, Form] = field(default_factory=dict)
    user_task_lanes: dict[str, str | None] = field(default_factory=dict)
    # Lanes whose tasks go to the department named in a field of the task's data (a lane per
    # co-handling department cannot be drawn: there is one task instance per department).
    lane_department_fields: dict[str, str] = field(default_factory=dict)
    # User tasks created already held by the person whose username a field of the case data holds.
    assignee_fields: dict[str, str] = field(default_factory=dict)
    start_event: str | None = None  # the start event's id, when it carries clock actions
    start_lane: str | None = None  # who may start a case: the lane of the start event
    notices: dict[str, tuple[Notice, ...]] = field(default_factory=dict)  # what a task tells the applicant
    case_deadline: CaseDeadline | None = None
    task_deadlines: dict[str, str] = field(default_factory=dict)  # the default deadline of each task
    # Deadlines that replace the default when the case data has field = value, first match wins.
    conditional_deadlines: dict[str, tuple[tuple[str, tuple[str, str]], ...]] = field(default_factory=dict)
    clock_actions: dict[str, tuple[ClockAction, ...]] = field(default_factory=dict)
    # (task, deadline name) -> where that task deadline counts from, when not the day it opens.
    deadline_starts: dict[tuple[str, str], TaskDeadlineStart] = field(default_factory=dict)
    approves: dict[str, str] = field(default_factory=dict)  # approval task -> the task it approves
    # 会签: user tasks drawn as parallel multi-instance, one instance per participant, all at once.
    parallel_tasks: frozenset[str] = frozenset()
    case_links: dict[str, CaseLink] = field(default_factory=dict)  # a task's field naming another case
    # End events whose case closes its open clocks otherwise than as met (govflow:outcome).
    end_outcomes: dict[str, str] = field(default_factory=dict)

    def form_for(self, task_spec_name: str) -> Form:
        """The form of a task (an empty one when the task declares none)."""
        return self.forms.get(task_spec_name, Form())

    def every_field(self) -> Form:
        """The fields of all the diagram's forms: what a condition on the case data may name."""
        forms = (self.start_form, *self.forms.values())
        return Form(tuple(f for form in forms if form is not None for f in form.fields))

    def option_labels(self) -> dict[str, dict[str, str]]:
        """Every enum field's values and their Chinese labels, by field name (for notices)."""
        forms = [self.start_form, *self.forms.values()]
        labels: dict[str, dict[str, str]] = {}
        for form in forms:
            for f in form.fields if form is not None else ():
                labels.setdefault(f.name, {}).update({o.value: o.label for o in f.options})
        return labels

    def task_deadline(self, spec_name: str, data: dict) -> str | None:
        """The deadline a new task of this spec gets, given the case data (None: it shows the case's)."""
        for name, condition in self.conditional_deadlines.get(spec_name, ()):
            if holds(condition, data):
                return name
        return self.task_deadlines.get(spec_name)

    def deadline_start(self, spec_name: str, name: str) -> TaskDeadlineStart:
        """Where the task's deadline `name` counts from (the day the task opens unless markup says)."""
        return self.deadline_starts.get((spec_name, name), TaskDeadlineStart())

    def deadline_names(self) -> set[str]:
        """Every profile deadline the diagram names (to check against every profile)."""
        return {name for _element, name in self.deadline_uses()}

    def deadline_uses(self, elements: Collection[str] | None = None) -> set[tuple[str, str]]:
        """(element id, deadline name) for each deadline markup names: a task's, a clock's, the case's.

        Limited to `elements` when given (the case's own deadline counts as the process's).
        """
        uses = {(task, name) for task, name in self.task_deadlines.items()}
        uses.update(
            (task, name) for task, options in self.conditional_deadlines.items() for name, _ in options
        )
        if self.case_deadline is not None:
            uses.add((self.process_id, self.case_deadline.name))
        for task, actions in self.clock_actions.items():
            uses.update((task, a.deadline) for a in actions)
            uses.update((task, a.maximum) for a in actions if a.maximum)
        return uses if elements is None else {(e, name) for e, name in uses if e in elements}


def content_hash(xml: bytes) -> str:
    """The identity of a diagram's content."""
    return hashlib.sha256(xml).hexdigest()


def load_xml(xml: bytes) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities, no network, bounded size."""
    if len(xml) > MAX_DIAGRAM_BYTES:
        raise refuse(
            None, "diagram_too_large", f"流程图文件超过 {MAX_DIAGRAM_BYTES // 1024 // 1024} MB，请拆分或精简"
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as err:
        raise refuse(None, "not_well_formed", f"文件不是格式正确的 XML（{err}）") from err
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise refuse(None, "doctype_refused", "流程图中不能声明 DOCTYPE 或实体（ENTITY），请删去")
    if sum(1 for _ in root.iter()) > MAX_ELEMENTS:
        raise refuse(None, "too_many_elements", f"流程图的 XML 元素超过 {MAX_ELEMENTS} 个，请拆分或精简")
    return root


def parse_definition(xml: bytes, expected_id: str | None = None) -> ParsedDefinition:
    """Parse one diagram holding one executable process."""
    root = load_xml(xml)
    parser = GovParser(validator=VALIDATOR)
    try:
        parser.add_bpmn_xml(root)
        ids = parser.get_process_ids()
        if len(ids) != 1:
            raise refuse(
                None,
                "not_one_process",
                f"一个流程图文件须恰好含一个可执行流程（isExecutable），现有 {len(ids)} 个",
            )
        process_id = ids[0]
        if expected_id is not None and process_id != expected_id:
            raise refuse(
                root.find(f".//bpmn:process[@id='{process_id}']", NSMAP),
                "process_id_mismatch",
                f"流程的 id 须与文件名相同：应为“{expected_id}”",
            )
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as err:
        raise DiagramError(_invalid_bpmn(err)) from err
    for wf_spec in (spec, *subprocess_specs.values()):
        _wire_loop_merges(wf_spec)
    process = root.find(f".//bpmn:process[@id='{process_id}']", NSMAP)
    parsed = ParsedDefinition(
        process_id=process_id,
        name=process.get("name") or process_id,
        content_hash=content_hash(xml),
        spec=spec,
        subprocess_specs=subprocess_specs,
        documentation=_text(process.find("bpmn:documentation", NSMAP)),
    )
    _read_metadata(process, parsed)
    _check_service_tasks(spec)
    parsed.start_lane = next((ts.lane for ts in spec.task_specs.values() if isinstance(ts, StartEvent)), None)
    # Keyed by element id: a multi-instance task's instances run a spec named "<id> [child]".
    parsed.user_task_lanes = {
        ts.bpmn_id: ts.lane for ts in spec.task_specs.values() if getattr(ts, "manual", False)
    }
    parsed.parallel_tasks = frozenset(
        ts.bpmn_id
        for wf_spec in (spec, *subprocess_specs.values())
        for ts in wf_spec.task_specs.values()
        if isinstance(ts, ParallelMultiInstanceTask) and ts.bpmn_id
    )
    return parsed


def _invalid_bpmn(err: ValidationException) -> DiagramProblem:
    # The parser's own words (and the BPMN schema's) stay as they are: they point at the XML.
    detail = f"不符合 BPMN 2.0 规范，无法解析：{str(err).strip()}"
    kind = (err.tag or "").rpartition(":")[2] or None
    return located(err.id or None, err.name or None, kind, "invalid_bpmn", detail)


def _wire_loop_merges(spec) -> None:
    """Let every loop or multi-instance task collect its instances' answers, in whatever process.

    SpiffWorkflow 3.2 connects a multi-instance task's merge to its instance spec's completion event
    only when it creates the instances, so in a process that merely restored the case (another
    gunicorn worker, or after a restart) an instance completes without its answer reaching the
    parent, and the case stops with no open task. Connecting at parse time makes every copy of the
    spec the same; the library's own check (is_connected) keeps it from connecting twice.
    """
    for task_spec in spec.task_specs.values():
        if isinstance(task_spec, LoopTask):
            completed = spec.task_specs[task_spec.task_spec].completed_event
            if not completed.is_connected(task_spec.merge_child):
                completed.connect(task_spec.merge_child)


def _check_service_tasks(spec) -> None:
    # Only registered handlers exist: refusing an unknown one here keeps it out of deployment,
    # instead of failing the step that reaches it.
    for task_spec in spec.task_specs.values():
        if not isinstance(task_spec, SpiffServiceTask):
            continue
        found = check_parameters(task_spec.operation_name, set(task_spec.operation_params))
        result = task_spec.result_variable or ""
        if not is_field_name(result) or result.startswith("spiff"):
            detail = "服务任务须用 resultVariable 指定保存结果的数据字段名（英文字母开头）"
            found.append(("no_result_variable", detail))
        problems = [
            located(task_spec.bpmn_id, task_spec.bpmn_name, "serviceTask", code, message)
            for code, message in found
        ]
        if problems:
            raise DiagramError(*problems)


def _read_metadata(process: etree._Element, parsed: ParsedDefinition) -> None:
    case = process.find("bpmn:extensionElements/govflow:case", NSMAP)
    if case is not None and case.get("trackingPrefix"):
        parsed.tracking_prefix = case.get("trackingPrefix")
    for form_el in process.iterfind(".//bpmn:extensionElements/govflow:form", NSMAP):
        owner = form_el.getparent().getparent()
        form = _read_form(form_el)
        found = [p for f in form.fields for p in check_field_definition(f)] + check_form_definition(form)
        if found:
            raise DiagramError(*(at(owner, p.code, p.message) for p in found))
        if etree.QName(owner).localname == "startEvent":
            parsed.start_form = form
        else:
            parsed.forms[owner.get("id")] = form
    check_option_conditions(process, parsed)
    # Deadline markup refers to form fields, so it is read once every form is known.
    if case is not None:
        parsed.case_deadline = case_deadline(case, process, parsed)
    read_deadlines(process, parsed)
    parsed.end_outcomes = read_end_outcomes(process)
    parsed.notices = read_notices(process, parsed.every_field())  # when= may name an earlier task's field
    parsed.case_links = read_case_links(process, parsed)
    parsed.lane_department_fields = lane_department_fields(process)
    parsed.assignee_fields = assignee_fields(process, parsed.every_field())
    parsed.approves = read_approvals(process, parsed)


def _read_form(form_el: etree._Element) -> Form:
    fields = []
    for f in form_el.iterfind("govflow:field", NSMAP):
        required_if = None
        if f.get("requiredIf"):
            other, _, value = f.get("requiredIf").partition("=")
            required_if = (other.strip(), value.strip())
        options = tuple(read_option(o) for o in f.iterfind("govflow:option", NSMAP))
        fields.append(
            FormField(
                name=f.get("name", ""),
                type=f.get("type", "string"),
                label=f.get("label", ""),
                required=f.get("required") == "true",
                required_if=required_if,
                max_length=_max_length(f.get("maxLength")),
                min_items=_max_length(f.get("minItems")),
                options=options,
                not_after=f.get("notAfter"),
                after=f.get("after"),
                profile_options=f.get("profileOptions"),
                suggest_from=f.get("suggestFrom"),
            )
        )
    return Form(tuple(fields))


def _max_length(raw: str | None) -> int | None:
    # A malformed value becomes -1 so check_field_definition reports it instead of ignoring it.
    if raw is None:
        return None
    return int(raw) if raw.isdigit() else -1


def _text(el: etree._Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


class SpecCache:
    """Parsed diagrams by content hash, so a running case never reparses its diagram."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[str, ParsedDefinition] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def cached(self, key: str) -> ParsedDefinition | None:
        """The parsed diagram for a content hash, if it has been parsed already."""
        with self._lock:
            return self._items.get(key)

    def get(self, xml: bytes, expected_id: str | None = None) -> ParsedDefinition:
        """Return the parsed diagram for this content, parsing it on first use."""
        key = content_hash(xml)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        parsed = parse_definition(xml, expected_id)
        with self._lock:
            self._items[key] = parsed
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return parsed


__all__ = ["CaseDeadline", "ClockAction", "DiagramError", "ParsedDefinition", "SpecCache", "parse_definition"]
