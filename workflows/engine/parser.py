"""Diagram parsing: hardened XML in, a cached SpiffWorkflow spec plus govflow's metadata out."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.defaults import BoundaryEvent, IntermediateCatchEvent, StartEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.spiff.parser.event_parsers import (
    SpiffBoundaryEventParser,
    SpiffIntermediateCatchEventParser,
    SpiffStartEventParser,
)
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import ServiceTask as SpiffServiceTask

from ..forms import Form, FormField, check_field_definition, check_form_definition
from ..handlers import check_parameters
from ..notices import MAX_TEMPLATE, Notice
from .approvals import read_approvals
from .deadline_markup import (
    CaseDeadline,
    ClockAction,
    case_deadline,
    read_deadlines,
)
from .limits import capped
from .link_markup import CaseLink, read_case_links
from .markup import (
    EXTENSIONS,
    GOVFLOW_NS,
    NSMAP,
    DiagramError,
    check_attributes,
    is_field_name,
    read_condition,
)
from .option_markup import check_option_conditions, read_option
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
    start_event: str | None = None  # the start event's id, when it carries clock actions
    start_lane: str | None = None  # who may start a case: the lane of the start event
    notices: dict[str, tuple[Notice, ...]] = field(default_factory=dict)  # what a task tells the applicant
    case_deadline: CaseDeadline | None = None
    task_deadlines: dict[str, str] = field(default_factory=dict)  # the default deadline of each task
    # Deadlines that replace the default when the case data has field = value, first match wins.
    conditional_deadlines: dict[str, tuple[tuple[str, tuple[str, str]], ...]] = field(default_factory=dict)
    clock_actions: dict[str, tuple[ClockAction, ...]] = field(default_factory=dict)
    approves: dict[str, str] = field(default_factory=dict)  # approval task -> the task it approves
    case_links: dict[str, CaseLink] = field(default_factory=dict)  # a task's field naming another case

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
        for name, (key, value) in self.conditional_deadlines.get(spec_name, ()):
            if str(data.get(key, "")) == value:
                return name
        return self.task_deadlines.get(spec_name)

    def deadline_names(self) -> set[str]:
        """Every profile deadline the diagram names (to check against every profile)."""
        names = set(self.task_deadlines.values())
        names.update(name for options in self.conditional_deadlines.values() for name, _ in options)
        if self.case_deadline is not None:
            names.add(self.case_deadline.name)
        for actions in self.clock_actions.values():
            names.update(a.deadline for a in actions)
            names.update(a.maximum for a in actions if a.maximum)
        return names


def content_hash(xml: bytes) -> str:
    """The identity of a diagram's content."""
    return hashlib.sha256(xml).hexdigest()


def load_xml(xml: bytes) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities, no network, bounded size."""
    if len(xml) > MAX_DIAGRAM_BYTES:
        raise DiagramError(f"diagram is larger than {MAX_DIAGRAM_BYTES} bytes")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as err:
        raise DiagramError(f"not well-formed XML: {err}") from err
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise DiagramError("diagrams may not declare a DOCTYPE or entities")
    if sum(1 for _ in root.iter()) > MAX_ELEMENTS:
        raise DiagramError(f"diagram has more than {MAX_ELEMENTS} elements")
    return root


def parse_definition(xml: bytes, expected_id: str | None = None) -> ParsedDefinition:
    """Parse one diagram holding one executable process."""
    root = load_xml(xml)
    parser = GovParser(validator=VALIDATOR)
    try:
        parser.add_bpmn_xml(root)
        ids = parser.get_process_ids()
        if len(ids) != 1:
            raise DiagramError(f"a diagram must hold exactly one executable process, found {len(ids)}")
        process_id = ids[0]
        if expected_id is not None and process_id != expected_id:
            raise DiagramError(f"process id {process_id!r} must equal the file name {expected_id!r}")
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as err:
        raise DiagramError(f"invalid BPMN: {err}") from err
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
    return parsed


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
        where = f"element {task_spec.bpmn_id!r}"
        problems = check_parameters(task_spec.operation_name, set(task_spec.operation_params))
        if problems:
            raise DiagramError(f"{where}: " + "; ".join(problems))
        if not is_field_name(task_spec.result_variable or "") or task_spec.result_variable.startswith(
            "spiff"
        ):
            raise DiagramError(f"{where}: a service task needs a resultVariable naming a data field")


def _read_metadata(process: etree._Element, parsed: ParsedDefinition) -> None:
    case = process.find("bpmn:extensionElements/govflow:case", NSMAP)
    if case is not None and case.get("trackingPrefix"):
        parsed.tracking_prefix = case.get("trackingPrefix")
    for form_el in process.iterfind(".//bpmn:extensionElements/govflow:form", NSMAP):
        owner = form_el.getparent().getparent()
        form = _read_form(form_el)
        problems = [p for f in form.fields for p in check_field_definition(f)] + check_form_definition(form)
        if problems:
            raise DiagramError(f"element {owner.get('id')!r}: " + "; ".join(problems))
        if etree.QName(owner).localname == "startEvent":
            parsed.start_form = form
        else:
            parsed.forms[owner.get("id")] = form
    check_option_conditions(process, parsed)
    # Deadline markup refers to form fields, so it is read once every form is known.
    if case is not None:
        parsed.case_deadline = case_deadline(case, process.get("id"), parsed)
    read_deadlines(process, parsed)
    parsed.notices = _read_notices(process, parsed)
    parsed.case_links = read_case_links(process, parsed)
    parsed.lane_department_fields = _lane_department_fields(process)
    parsed.approves = read_approvals(process, parsed)


def _read_notices(process: etree._Element, parsed: ParsedDefinition) -> dict[str, tuple[Notice, ...]]:
    found: dict[str, list[Notice]] = {}
    every_field = parsed.every_field()  # when= may name what an earlier task filled (ERR-2)
    for el in process.iter(f"{{{GOVFLOW_NS}}}notice"):
        owner = el.getparent().getparent() if el.getparent() is not None else None
        if (
            owner is None
            or el.getparent().tag != EXTENSIONS
            or etree.QName(owner).localname
            not in (
                "userTask",
                "manualTask",
            )
        ):
            raise DiagramError("govflow:notice must sit in a user or manual task's bpmn:extensionElements")
        task_id = owner.get("id")
        check_attributes(el, task_id, frozenset({"subject", "when"}), "govflow:notice")
        subject, body = (el.get("subject") or "").strip(), (el.text or "").strip()
        if not subject or not body or len(subject) > 200 or len(body) > MAX_TEMPLATE:
            raise DiagramError(
                f"element {task_id!r}: a notice needs a subject (at most 200 characters) and a text"
                f" (at most {MAX_TEMPLATE})"
            )
        when = read_condition(el.get("when"), task_id, every_field, "notice", "a form of the diagram")
        found.setdefault(task_id, []).append(Notice(subject, body, when))
    return {task: tuple(notices) for task, notices in found.items()}


def _lane_department_fields(process: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in process.iter(f"{{{GOVFLOW_NS}}}lane"):
        parent = el.getparent()
        lane = parent.getparent() if parent is not None else None
        if lane is None or parent.tag != EXTENSIONS or lane.tag != f"{{{NSMAP['bpmn']}}}lane":
            raise DiagramError("govflow:lane must sit in a bpmn:lane's bpmn:extensionElements")
        lane_id = lane.get("id")
        check_attributes(el, lane_id, frozenset({"departmentFrom"}), "govflow:lane")
        name, source = (lane.get("name") or "").strip(), el.get("departmentFrom") or ""
        if not is_field_name(source):
            raise DiagramError(f"element {lane_id!r}: departmentFrom={source!r} must name a data field")
        if not name or name in found:
            raise DiagramError(f"element {lane_id!r}: a lane with departmentFrom needs a name of its own")
        found[name] = source
    return found


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
