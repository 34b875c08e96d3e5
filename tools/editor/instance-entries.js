// A multi-instance task's collection, the way SpiffWorkflow reads it (countersign in bpmn/): one
// instance per item of a list in the case data (loopDataInputRef), the item under its own name in
// that instance (inputDataItem), and each instance's answer (outputDataItem) gathered into a list
// (loopDataOutputRef). Added to bpmn-js's own 多实例 group beside 实例个数 and 完成条件.
import { CheckboxEntry, TextFieldEntry } from "@bpmn-io/properties-panel";
import { is } from "bpmn-js/lib/util/ModelUtil";

const SCRIPTS_ON_INSTANCES = "spiffworkflow:scriptsOnInstances";
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * SpiffWorkflow names a collection by a data field, which BPMN's moddle takes for a reference to an
 * element: kept as a reference to an element of that id, so it is written as the name it was.
 */
export function dataReference(name) {
  return { id: name, $descriptor: {} };
}

function validName(value) {
  return !value || NAME.test(value) ? null : "须为字段名：英文字母、数字和下划线，不以数字开头";
}

export function collectionEntries(provider, element) {
  const loop = element.businessObject.get("loopCharacteristics");
  if (!is(loop, "bpmn:MultiInstanceLoopCharacteristics")) return [];
  const { modeling, moddle } = provider._markup;
  const set = (properties) => modeling.updateModdleProperties(element, loop, properties);
  const text = (property, label, description, getValue, make) => ({
    id: `govflow-instances-${property}`,
    label,
    description,
    component: TextFieldEntry,
    debounce: provider._debounce,
    validate: validName,
    getValue,
    setValue: (value, error) => {
      if (!error) set({ [property]: value ? make(value) : undefined });
    },
  });
  const reference = (property, label, description) =>
    text(property, label, description, () => loop.get(property)?.id || "", dataReference);
  // SpiffWorkflow keeps the item in the instance's data under the item's id: id and name are one.
  const item = (property, type, label, description) =>
    text(
      property,
      label,
      description,
      () => loop.get(property)?.name || loop.get(property)?.id || "",
      (value) => moddle.create(type, { id: value, name: value }),
    );
  return [
    reference("loopDataInputRef", "集合（loopDataInputRef）", "每项办理一个实例的列表字段，如 co_departments；与实例个数二选一"),
    item("inputDataItem", "bpmn:DataInput", "元素变量（inputDataItem）", "实例中这一项的名称，如 co_department"),
    reference("loopDataOutputRef", "结果集合（loopDataOutputRef）", "各实例的结果收成的列表，如 co_confirmations"),
    item("outputDataItem", "bpmn:DataOutput", "结果元素变量（outputDataItem）", "每个实例的结果，如 co_confirmation"),
    {
      id: "govflow-instances-scripts",
      label: "前置与后置脚本在每个实例中运行（scriptsOnInstances）",
      component: CheckboxEntry,
      getValue: () => loop.get(SCRIPTS_ON_INSTANCES) === "true",
      setValue: (value) => set({ [SCRIPTS_ON_INSTANCES]: value ? "true" : undefined }),
    },
  ];
}
