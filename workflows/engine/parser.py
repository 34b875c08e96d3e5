"""Diagram parsing: hardened XML in, a cached SpiffWorkflow spec plus govflow's metadata out."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.defaults import BoundaryEvent, IntermediateCatchEvent, StartEvent
from SpiffWorkflow.spiff.parser.event_parsers import (
    SpiffBoundaryEventParser,
    SpiffIntermediateCatchEventParser,
    SpiffStartEventParser,
)
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import ServiceTask as SpiffServiceTask

from ..forms import Form, FormField, Option, check_field_definition
from ..handlers import check_parameters
from .timers import with_clock

GOVFLOW_NS = "urn:govflow:bpmn:1.0"
NSMAP = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "govflow": GOVFLOW_NS}
MAX_DIAGRAM_BYTES = 2 * 1024 * 1024
MAX_ELEMENTS = 20000


_EXTENSIONS = f"{{{NSMAP['bpmn']}}}extensionElements"


class DiagramError(ValueError):
    """A diagram that cannot be deployed, with a message a modeller can act on."""


# \Z, not $: '$' also matches before a final newline, which an attribute can hold as '&#10;'.
DEADLINE_NAME = re.compile(r"\A[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\Z")
# The attributes each clock action takes, and what type of form field each field attribute names.
_CLOCK_ATTRIBUTES = {
    "pause": frozenset({"deadline", "action"}),
    "start": frozenset({"deadline", "action", "from", "when"}),
    "stop": frozenset({"deadline", "action", "when"}),
    "restart": frozenset({"deadline", "action", "from", "when"}),
    "extend": frozenset({"deadline", "action", "amountField", "reasonField", "maximum"}),
}
_CLOCK_FIELD_TYPES = {"from": ("date",), "amountField": ("integer",), "reasonField": ("string", "text")}
CLOCK_ACTIONS = tuple(_CLOCK_ATTRIBUTES)


@dataclass(frozen=True)
class CaseDeadline:
    """The case's own deadline: a profile name, counted from a date field (or the start date)."""

    name: str
    start_field: str | None
    latest_field: str | None = None  # a date field the deadline may not pass (PRO-1's transfer document)


@dataclass(frozen=True)
class ClockAction:
    """What a task does to a case deadline: pause it while open; stop, restart or extend it on completion."""

    deadline: str
    action: str
    from_field: str | None = None
    amount_field: str | None = None
    reason_field: str | None = None
    maximum: str | None = None
    when: tuple[str, str] | None = None  # acts only if the completed form has field = value

    def applies(self, values: dict) -> bool:
        """Does this action apply to a task completed with these values?"""
        return self.when is None or str(values.get(self.when[0], "")) == self.when[1]


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
    """SpiffWorkflow's parser with timers that read the workflow's clock."""

    OVERRIDE_PARSER_CLASSES = {
        **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
        full_tag("startEvent"): (_StartEventParser, StartEvent),
        full_tag("intermediateCatchEvent"): (_CatchEventParser, IntermediateCatchEvent),
        full_tag("boundaryEvent"): (_BoundaryEventParser, BoundaryEvent),
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
    case_deadline: CaseDeadline | None = None
    task_deadlines: dict[str, str] = field(default_factory=dict)  # the default deadline of each task
    # Deadlines that replace the default when the case data has field = value, first match wins.
    conditional_deadlines: dict[str, tuple[tuple[str, tuple[str, str]], ...]] = field(default_factory=dict)
    clock_actions: dict[str, tuple[ClockAction, ...]] = field(default_factory=dict)

    def form_for(self, task_spec_name: str) -> Form:
        """The form of a task (an empty one when the task declares none)."""
        return self.forms.get(task_spec_name, Form())

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
    # Keyed by element id: a multi-instance task's instances run a spec named "<id> [child]".
    parsed.user_task_lanes = {
        ts.bpmn_id: ts.lane for ts in spec.task_specs.values() if getattr(ts, "manual", False)
    }
    return parsed


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
        if not _is_field_name(task_spec.result_variable or "") or task_spec.result_variable.startswith(
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
        problems = [p for f in form.fields for p in check_field_definition(f)]
        if problems:
            raise DiagramError(f"element {owner.get('id')!r}: " + "; ".join(problems))
        if etree.QName(owner).localname == "startEvent":
            parsed.start_form = form
        else:
            parsed.forms[owner.get("id")] = form
    # Deadline markup refers to form fields, so it is read once every form is known.
    if case is not None:
        parsed.case_deadline = _case_deadline(case, process.get("id"), parsed)
    _read_deadlines(process, parsed)
    parsed.lane_department_fields = _lane_department_fields(process)


def _lane_department_fields(process: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in process.iter(f"{{{GOVFLOW_NS}}}lane"):
        parent = el.getparent()
        lane = parent.getparent() if parent is not None else None
        if lane is None or parent.tag != _EXTENSIONS or lane.tag != f"{{{NSMAP['bpmn']}}}lane":
            raise DiagramError("govflow:lane must sit in a bpmn:lane's bpmn:extensionElements")
        lane_id = lane.get("id")
        _check_attributes(el, lane_id, frozenset({"departmentFrom"}), "govflow:lane")
        name, source = (lane.get("name") or "").strip(), el.get("departmentFrom") or ""
        if not _is_field_name(source):
            raise DiagramError(f"element {lane_id!r}: departmentFrom={source!r} must name a data field")
        if not name or name in found:
            raise DiagramError(f"element {lane_id!r}: a lane with departmentFrom needs a name of its own")
        found[name] = source
    return found


def _case_deadline(case: etree._Element, process_id: str, parsed: ParsedDefinition) -> CaseDeadline | None:
    name = case.get("deadline") or None
    start, latest = case.get("deadlineFrom") or None, case.get("dueNoLaterThan") or None
    if name is None:
        if start is not None or latest is not None:
            raise DiagramError(f"element {process_id!r}: deadlineFrom and dueNoLaterThan need a deadline")
        return None
    # The fields may be filled by a script, so they need not be on a form; where a form has one,
    # it must hold a date, or the case clock would never start (or never be held to the date).
    forms = [parsed.start_form, *parsed.forms.values()]
    for attribute, field_name in (("deadlineFrom", start), ("dueNoLaterThan", latest)):
        if field_name is None:
            continue
        kinds = {f.type for form in forms if form is not None for f in form.fields if f.name == field_name}
        if not _is_field_name(field_name) or kinds - {"date"}:
            raise DiagramError(f"element {process_id!r}: {attribute}={field_name!r} must name a date field")
    return CaseDeadline(_deadline_name(name, process_id), start, latest)


def _read_deadlines(process: etree._Element, parsed: ParsedDefinition) -> None:
    _check_placement(process)
    forms = (parsed.start_form, *parsed.forms.values())
    case_fields = Form(tuple(f for form in forms if form is not None for f in form.fields))
    conditional: dict[str, list[tuple[str, tuple[str, str]]]] = {}
    for el in process.iterfind(".//bpmn:extensionElements/govflow:deadline", NSMAP):
        task_id = _task_owning(el, "govflow:deadline").get("id")
        _check_attributes(el, task_id, frozenset({"name", "when"}), "govflow:deadline")
        name = _deadline_name(el.get("name"), task_id)
        when = _condition(el.get("when"), task_id, case_fields, "deadline", "a form of the diagram")
        if when is not None:
            conditional.setdefault(task_id, []).append((name, when))
        elif task_id in parsed.task_deadlines:
            raise DiagramError(f"element {task_id!r}: a task has at most one govflow:deadline without when")
        else:
            parsed.task_deadlines[task_id] = name
    for task_id in sorted(conditional.keys() - parsed.task_deadlines.keys()):
        # Without a default, a case matching no condition would silently run without a deadline.
        raise DiagramError(f"element {task_id!r}: deadlines with when need one without, for every other case")
    parsed.conditional_deadlines = {task: tuple(found) for task, found in conditional.items()}
    actions: dict[str, list[ClockAction]] = {}
    for el in process.iterfind(".//bpmn:extensionElements/govflow:clock", NSMAP):
        owner = el.getparent().getparent()
        if etree.QName(owner).localname == "startEvent" and el.get("action") == "start":
            # A case clock chosen by what the case starts with (an item's type, PUB-13).
            task_id, form = owner.get("id"), parsed.start_form or Form()
            parsed.start_event = task_id
        else:
            task_id = _task_owning(el, "govflow:clock").get("id")
            form = parsed.forms.get(task_id, Form())
        found = _clock_action(el, task_id, form)
        same = actions.setdefault(task_id, [])
        if any((a.deadline, a.action) == (found.deadline, found.action) for a in same):
            raise DiagramError(f"element {task_id!r}: two {found.action} clocks for {found.deadline!r}")
        same.append(found)
    parsed.clock_actions = {task: tuple(found) for task, found in actions.items()}


def _check_placement(process: etree._Element) -> None:
    # Markup nested anywhere else (inside a form, or straight under the task) would be skipped
    # without a word, and the case would silently run without its deadline.
    for tag in ("deadline", "clock"):
        for el in process.iter(f"{{{GOVFLOW_NS}}}{tag}"):
            parent = el.getparent()
            if etree.QName(parent) != etree.QName(NSMAP["bpmn"], "extensionElements"):
                owner = next((a for a in el.iterancestors() if a.get("id")), process)
                raise DiagramError(
                    f"element {owner.get('id')!r}: govflow:{tag} must sit directly in bpmn:extensionElements"
                )


def _task_owning(el: etree._Element, what: str) -> etree._Element:
    owner = el.getparent().getparent()
    if etree.QName(owner).localname not in ("userTask", "manualTask"):
        raise DiagramError(
            f"element {owner.get('id')!r}: {what} belongs on a user or manual task"
            " (a start event takes only start clocks)"
        )
    return owner


def _check_attributes(el: etree._Element, element_id: str, allowed: frozenset[str], what: str) -> None:
    # A misspelt attribute (form= for from=) would otherwise be dropped and change the rule.
    unknown = ", ".join(sorted(set(el.attrib) - allowed))
    if unknown:
        raise DiagramError(
            f"element {element_id!r}: {what} takes no {unknown} (only {', '.join(sorted(allowed))})"
        )


def _clock_action(el: etree._Element, task_id: str, form: Form) -> ClockAction:
    action = el.get("action", "")
    if action not in CLOCK_ACTIONS:
        raise DiagramError(
            f"element {task_id!r}: clock action {action!r} is not one of {list(CLOCK_ACTIONS)}"
        )
    _check_attributes(el, task_id, _CLOCK_ATTRIBUTES[action], f"a {action} clock")
    found = ClockAction(
        deadline=_deadline_name(el.get("deadline"), task_id),
        action=action,
        from_field=el.get("from") or None,
        amount_field=el.get("amountField") or None,
        reason_field=el.get("reasonField") or None,
        maximum=_deadline_name(el.get("maximum"), task_id) if el.get("maximum") else None,
        when=_condition(el.get("when"), task_id, form),
    )
    if action == "extend" and not (found.amount_field and found.reason_field and found.maximum):
        raise DiagramError(f"element {task_id!r}: an extend clock needs amountField, reasonField and maximum")
    _check_clock_fields(el, task_id, form)
    return found


def _condition(
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


def _check_clock_fields(el: etree._Element, task_id: str, form: Form) -> None:
    # The service reads these fields from the completed task's data: a missing field or one of
    # another type would make the action silently do nothing.
    types = {f.name: f.type for f in form.fields}
    for attribute, kinds in _CLOCK_FIELD_TYPES.items():
        name = el.get(attribute) or None
        if name is None:
            continue
        if name not in types:
            raise DiagramError(
                f"element {task_id!r}: clock {attribute}={name!r} is not a field of the task's form"
            )
        if types[name] not in kinds:
            raise DiagramError(
                f"element {task_id!r}: clock {attribute}={name!r} must be a field of type"
                f" {' or '.join(kinds)}, not {types[name]}"
            )


def _is_field_name(name: str) -> bool:
    return name.isascii() and name.isidentifier() and not name.startswith("_")


def _deadline_name(value: str | None, element_id: str | None) -> str:
    if not value or not DEADLINE_NAME.match(value):
        raise DiagramError(f"element {element_id!r}: deadline name {value!r} must look like 'area.name'")
    return value


def _read_form(form_el: etree._Element) -> Form:
    fields = []
    for f in form_el.iterfind("govflow:field", NSMAP):
        required_if = None
        if f.get("requiredIf"):
            other, _, value = f.get("requiredIf").partition("=")
            required_if = (other.strip(), value.strip())
        options = tuple(
            Option(o.get("value", ""), o.get("label") or o.get("value", ""))
            for o in f.iterfind("govflow:option", NSMAP)
        )
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
