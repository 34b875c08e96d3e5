// The code a diagram runs: a script task's script (bpmn:script, Python) and the scripts SpiffWorkflow
// runs around a task (spiffworkflow:preScript before it starts, postScript once it is completed; bpmn/
// gathers each countersign instance's answer with a postScript). The server's 检查 runs each through
// the sandbox and names the task of one it refuses.
import { TextAreaEntry } from "@bpmn-io/properties-panel";
import { is } from "bpmn-js/lib/util/ModelUtil";

const SANDBOX = "只能使用简单的表达式和赋值，检查时由安全沙箱审核";

function codeEntry(provider, id, label, description, getValue, setValue) {
  return {
    id,
    label,
    description,
    component: TextAreaEntry,
    debounce: provider._debounce,
    monospace: true,
    rows: 3,
    getValue,
    setValue,
  };
}

export function scriptGroup(provider, element) {
  if (!is(element, "bpmn:ScriptTask")) return null;
  const { modeling } = provider._markup;
  const task = element.businessObject;
  const entry = codeEntry(
    provider,
    "govflow-script-body",
    "脚本（Python）",
    `如 category = "other"（每行一句）；${SANDBOX}`,
    () => task.get("script") || "",
    // The service runs Python only: the format is written with every script.
    (value) => modeling.updateProperties(element, { scriptFormat: "python", script: value || undefined }),
  );
  return { id: "govflow-script", label: "脚本", entries: [entry] };
}

export function taskScriptsGroup(provider, element) {
  if (!is(element, "bpmn:Task")) return null;
  const m = provider._markup;
  const script = (type, id, label, description) =>
    codeEntry(
      provider,
      id,
      label,
      `${description}；${SANDBOX}；清空即删除`,
      () => m.child(element, type)?.get("value") || "",
      (value) => {
        const found = m.child(element, type);
        if (!value) m.removeChild(element, found);
        else if (found) m.set(found, { value });
        else m.addChild(element, type, { value });
      },
    );
  return {
    id: "govflow-task-scripts",
    label: "前置与后置脚本",
    entries: [
      script("spiffworkflow:PreScript", "govflow-pre-script", "前置脚本（preScript）", "任务开始前运行"),
      script(
        "spiffworkflow:PostScript",
        "govflow-post-script",
        "后置脚本（postScript）",
        '任务完成后运行，如 co_opinion = {"department": co_handler, "opinion": co_opinion_text}',
      ),
    ],
  };
}
