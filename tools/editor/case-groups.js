// What holds for the whole case: govflow:case on the process (its tracking numbers and its own
// deadline, docs/diagrams.md "Process-level settings"), edited on the process or on the pool of a
// collaboration; and how a case that ends at an end event closes its clocks (govflow:outcome).
import { SelectEntry, TextFieldEntry } from "@bpmn-io/properties-panel";
import { fieldOption, processFields, processOf } from "./diagram-facts.js";
import { deadlineOptions, optional } from "./options.js";

const CASE_ATTRIBUTES = ["trackingPrefix", "deadline", "deadlineFrom", "dueNoLaterThan"];

// The wording of service/services/case_view.py ENDINGS; met is what an unmarked end event means.
const OUTCOMES = [
  ["met", "办结（met）"],
  ["abandoned", "视为放弃（abandoned）"],
  ["withdrawn", "申请人撤回（withdrawn）"],
  ["returned", "退回，未受理（returned）"],
];

export function caseGroup(provider, element) {
  const m = provider._markup;
  if (!processOf(element)) return null; // an empty pool has no process
  const found = () => m.child(element, "govflow:Case");
  // Each attribute on its own; govflow:case goes when its last attribute does.
  const setter = (attribute) => (value) => {
    const target = found();
    if (!target) {
      if (value) m.addChild(element, "govflow:Case", { [attribute]: value });
      return;
    }
    const rest = CASE_ATTRIBUTES.filter((a) => a !== attribute && target.get(a));
    if (!value && rest.length === 0) m.removeChild(element, target);
    else m.set(target, { [attribute]: value || undefined });
  };
  // Free text, not a dropdown: the date may be filled by a script rather than on a form.
  const dates = processFields(processOf(element)).filter((f) => f.get("type") === "date");
  const listed = dates.map((f) => fieldOption(f).label).join("、") || "（暂无）";
  const dateField = (attribute, label, description) => ({
    id: `govflow-case-${attribute}`,
    label,
    description: `${description}。表单中的日期字段：${listed}`,
    component: TextFieldEntry,
    debounce: provider._debounce,
    getValue: () => found()?.get(attribute) || "",
    setValue: setter(attribute),
  });
  const entries = [
    {
      id: "govflow-case-trackingPrefix",
      label: "案件编号前缀（trackingPrefix）",
      description: "如 GK：案件编号形如 GK-2026-000042",
      component: TextFieldEntry,
      debounce: provider._debounce,
      getValue: () => found()?.get("trackingPrefix") || "",
      setValue: setter("trackingPrefix"),
    },
    {
      id: "govflow-case-deadline",
      label: "案件期限（deadline）",
      description: "申请人的办理时限，取自当前配置",
      component: SelectEntry,
      getValue: () => found()?.get("deadline") || "",
      setValue: setter("deadline"),
      getOptions: () => deadlineOptions(found()?.get("deadline"), "（案件不计期限）"),
    },
  ];
  if (found()?.get("deadline") || found()?.get("deadlineFrom") || found()?.get("dueNoLaterThan")) {
    entries.push(
      dateField("deadlineFrom", "期限起算日期字段（deadlineFrom）", "不填则从案件开始之日起算"),
      dateField("dueNoLaterThan", "不得晚于的日期字段（dueNoLaterThan）", "如交办文件规定的办结日期"),
    );
  }
  return { id: "govflow-case", label: "案件（整个流程）", entries };
}

export function endOutcomeGroup(provider, element) {
  const bo = element.businessObject;
  // Only the process's own end events end a case; one in a sub-process does not.
  if (!bo.$parent?.$instanceOf("bpmn:Process")) return null;
  return {
    id: "govflow-outcome",
    label: "案件如何结束",
    entries: [
      {
        id: "govflow-outcome-value",
        label: "结束方式（outcome）",
        description: "到达此结束事件时案件的期限如何了结；不选则按办结计（按期或超期）",
        component: SelectEntry,
        getValue: () => bo.get("govflow:outcome") || "",
        setValue: (value) =>
          provider._markup.modeling.updateProperties(element, { "govflow:outcome": value || undefined }),
        getOptions: () =>
          optional(
            "（办结，不写）",
            OUTCOMES.map(([value, label]) => ({ value, label })),
            bo.get("govflow:outcome"),
          ),
      },
    ],
  };
}
