// Who a task goes to beyond its lane, and what it takes from another case: govflow:assignee (a
// form field holding the username), govflow:approves (four eyes: whoever did that task may not
// approve it) and govflow:caseLink (a form field naming a case of another diagram). Each is one
// extension child of the task, made by choosing a value and removed by choosing none.
import { SelectEntry, TextFieldEntry } from "@bpmn-io/properties-panel";
import { is } from "bpmn-js/lib/util/ModelUtil";
import { choices } from "./choices.js";
import { fieldOption, fieldsOf, humanTasks, processFields, processOf } from "./diagram-facts.js";
import { optional } from "./options.js";

// A select over one attribute of a single extension child of the task: "" removes the child.
function childSelect(m, element, type, attribute, entry) {
  const found = () => m.child(element, type);
  return {
    component: SelectEntry,
    getValue: () => found()?.get(attribute) || "",
    setValue: (value) => {
      const target = found();
      if (!value) m.removeChild(element, target);
      else if (target) m.set(target, { [attribute]: value });
      else m.addChild(element, type, { [attribute]: value });
    },
    ...entry,
  };
}

export function peopleGroup(provider, element) {
  const m = provider._markup;
  const entries = [];
  if (is(element, "bpmn:UserTask")) {
    entries.push(
      childSelect(m, element, "govflow:Assignee", "from", {
        id: "govflow-assignee-from",
        label: "办理人取自表单字段（assignee）",
        description: "任务一创建就交给该字段所填用户名的人；不选则按泳道",
        getOptions: () =>
          optional(
            "（按泳道）",
            processFields(processOf(element)).map(fieldOption),
            m.child(element, "govflow:Assignee")?.get("from"),
          ),
      }),
    );
  }
  entries.push(
    childSelect(m, element, "govflow:Approves", "task", {
      id: "govflow-approves-task",
      label: "审核哪个任务的工作（approves）",
      description: "最后办理该任务的人不能签收或办理本任务，交给其他人或上一级审核",
      getOptions: () => {
        const others = humanTasks(processOf(element)).filter((t) => t !== element.businessObject);
        const options = others.map((t) => ({ value: t.id, label: `${t.name || "（未命名）"}（${t.id}）` }));
        return optional("（不审核其他任务）", options, m.child(element, "govflow:Approves")?.get("task"));
      },
    }),
  );
  return { id: "govflow-people", label: "办理人与审核", entries };
}

export function caseLinkGroup(provider, element) {
  const m = provider._markup;
  const link = () => m.child(element, "govflow:CaseLink");
  const entries = [
    childSelect(m, element, "govflow:CaseLink", "field", {
      id: "govflow-case-link-field",
      label: "填写对方案件编号的字段（field）",
      description: "须是本任务表单中的单行文字字段；办理时核对该编号的案件",
      getOptions: () => {
        const strings = fieldsOf(element.businessObject).filter((f) => (f.get("type") || "string") === "string");
        return optional("（不关联其他案件）", strings.map(fieldOption), link()?.get("field"));
      },
    }),
  ];
  if (link()) {
    const text = (attribute, label, description) => ({
      id: `govflow-case-link-${attribute}`,
      label,
      description,
      component: TextFieldEntry,
      debounce: provider._debounce,
      getValue: () => link().get(attribute) || "",
      setValue: (value) => m.set(link(), { [attribute]: value || undefined }),
    });
    entries.push(
      {
        id: "govflow-case-link-process",
        label: "对方案件的流程（process）",
        component: SelectEntry,
        getValue: () => link().get("process") || "",
        setValue: (value) => m.set(link(), { process: value || undefined }),
        getOptions: () => {
          const known = choices.processes.map((p) => ({ value: p.key, label: `${p.name}（${p.key}）` }));
          return optional("（请选择）", known, link().get("process"));
        },
      },
      text("copy", "从对方案件取值的字段（copy）", "copy 和 into 须同时填写，或都不填"),
      text("into", "取得的值写入本案件字段（into）", "由系统填写，不能是表单字段"),
    );
  }
  return { id: "govflow-case-link", label: "关联其他案件", entries };
}
