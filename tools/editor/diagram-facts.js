// What the panel's dropdowns offer from the diagram itself: the process an element belongs to, the
// fields of its forms, its user and manual tasks. Read from the moddle tree at each render, so a
// field added a moment ago is offered at once. The server's check judges whatever is chosen.
import { is } from "bpmn-js/lib/util/ModelUtil";

// The process whose markup a diagram element edits: a participant's process, a process itself, or
// the process an element is drawn in (through its sub-processes).
export function processOf(element) {
  let bo = element.businessObject;
  if (is(bo, "bpmn:Participant")) return bo.get("processRef");
  while (bo && !is(bo, "bpmn:Process")) bo = bo.$parent;
  return bo;
}

function* flowElements(container) {
  for (const el of container?.get("flowElements") || []) {
    yield el;
    if (is(el, "bpmn:SubProcess")) yield* flowElements(el);
  }
}

function formOf(bo) {
  const values = bo.get("extensionElements")?.get("values") || [];
  return values.find((v) => v.$instanceOf("govflow:Form"));
}

/** The fields of one element's form (none when it has no govflow:form). */
export function fieldsOf(bo) {
  return formOf(bo)?.get("fields") || [];
}

/** Every field of every form of the process (start form and tasks), the first of each name. */
export function processFields(process) {
  const seen = new Map();
  for (const el of flowElements(process)) {
    for (const f of fieldsOf(el)) {
      if (f.get("name") && !seen.has(f.get("name"))) seen.set(f.get("name"), f);
    }
  }
  return [...seen.values()];
}

/** A field as a dropdown option: its Chinese label first, its name beside it. */
export function fieldOption(f) {
  const name = f.get("name");
  return { value: name, label: f.get("label") ? `${f.get("label")}（${name}）` : name };
}

/** The user and manual tasks of the process (what govflow:approves may name). */
export function humanTasks(process) {
  return [...flowElements(process)].filter((el) => is(el, "bpmn:UserTask") || is(el, "bpmn:ManualTask"));
}

/** A condition a new conditional deadline can start from: an option of a choice field, if any. */
export function sampleCondition(process) {
  for (const f of processFields(process)) {
    const first = (f.get("options") || [])[0];
    if (first?.get("value")) return `${f.get("name")}=${first.get("value")}`;
  }
  return "field=value";
}
