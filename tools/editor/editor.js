// The diagram editor page (/admin/diagrams/<key>/edit, /admin/diagrams/new): the bpmn-js modeler with
// its properties panel and govflow's own groups. esbuild bundles this file into
// service/web/static/build/editor.js (`make viewer`). No inline script: the page hands over its data
// in data- attributes of #diagram-editor; the lists for the dropdowns are fetched from the API.
import Modeler from "bpmn-js/lib/Modeler";
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from "bpmn-js-properties-panel";
import govflowModdle from "./govflow-moddle.json";
import spiffModdle from "./spiffworkflow-moddle.json";
import GovflowPropertiesProvider from "./govflow-provider.jsx";
import { loadChoices } from "./choices.js";
import { TranslateZhModule } from "./translate-zh.js";

const root = document.getElementById("diagram-editor");
const $ = (id) => document.getElementById(id);
const PROBLEM = "govflow-problem";
const GovflowPropertiesModule = {
  __init__: ["govflowPropertiesProvider"],
  govflowPropertiesProvider: ["type", GovflowPropertiesProvider],
};

// The modeler speaks the page's language: Chinese on every page today (base.html's lang); a page in
// another language keeps bpmn-js's own English.
const chinese = document.documentElement.lang.toLowerCase().startsWith("zh");

const modeler = new Modeler({
  container: $("editor-canvas"),
  propertiesPanel: { parent: $("editor-panel") },
  additionalModules: [
    BpmnPropertiesPanelModule,
    BpmnPropertiesProviderModule,
    GovflowPropertiesModule,
    ...(chinese ? [TranslateZhModule] : []),
  ],
  moddleExtensions: { govflow: govflowModdle, spiffworkflow: spiffModdle },
});
window.govflowModeler = modeler; // for the browser tests

// SpiffWorkflow names a multi-instance task's collection by a data field name, which BPMN's moddle
// reads as a reference to an element that does not exist and would drop on saving: keep it as a
// reference to an element of that id, so it is written back as it was.
modeler.get("eventBus").on("import.parse.complete", ({ warnings }) => {
  for (const w of warnings || []) {
    if (w.property && /loopData(Input|Output)Ref$/.test(w.property) && w.element) {
      w.element.set(w.property, { id: w.value, $descriptor: {} });
    }
  }
});

let marked = [];
let clean = false;

function status(text) {
  $("editor-status").textContent = text;
}

function clearMarkers() {
  const canvas = modeler.get("canvas");
  for (const id of marked) canvas.removeMarker(id, PROBLEM);
  marked = [];
}

// Where a problem is fixed: a task whose lane resolves to nobody is fixed in its lane.
const LANE_PROBLEMS = new Set(["unknown_lane", "lane_name_shared", "invalid_department_field"]);

function problemShapes(registry, problem) {
  const shape = problem.element_id ? registry.get(problem.element_id) : null;
  if (!shape) return [];
  const lanes = LANE_PROBLEMS.has(problem.code) ? shape.businessObject.get("lanes") || [] : [];
  const lane = lanes.map((l) => registry.get(l.id)).find(Boolean);
  return lane ? [lane, shape] : [shape];
}

function mark(shapes) {
  const canvas = modeler.get("canvas");
  for (const shape of shapes) {
    if (!marked.includes(shape.id)) {
      canvas.addMarker(shape, PROBLEM);
      marked.push(shape.id);
    }
  }
}

function problemItem(problem, shapes) {
  const item = document.createElement("li");
  const text = `${problem.element_name || problem.element_id || "整个流程图"}：${problem.message}`;
  item.dataset.elementId = problem.element_id || "";
  item.dataset.code = problem.code;
  if (!shapes.length) {
    item.textContent = text;
    return item;
  }
  const target = shapes[0];
  item.dataset.fixAt = target.id;
  const link = document.createElement("button");
  link.type = "button";
  link.textContent = text;
  link.addEventListener("click", () => {
    modeler.get("selection").select(target);
    modeler.get("canvas").scrollToElement(shapes[shapes.length - 1]);
  });
  item.append(link);
  return item;
}

function showProblems(problems) {
  const registry = modeler.get("elementRegistry");
  const list = $("editor-problem-list");
  clearMarkers();
  list.replaceChildren();
  for (const problem of problems) {
    const shapes = problemShapes(registry, problem);
    mark(shapes);
    list.append(problemItem(problem, shapes));
  }
  $("editor-problems").hidden = problems.length === 0;
}

// Panel text fields commit after a debounce or on blur: leave the field first, so that what was typed
// last is in the diagram that is saved.
async function currentXml() {
  if (document.activeElement && $("editor-panel").contains(document.activeElement)) {
    document.activeElement.blur();
  }
  await new Promise((resolve) => setTimeout(resolve, 350));
  const { xml } = await modeler.saveXML({ format: true });
  return xml;
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  let answer = {};
  try {
    answer = await response.json();
  } catch (err) {
    answer = { title: `服务器答复无法读取（${response.status}）` };
  }
  return { response, answer };
}

async function check() {
  status("正在检查…");
  const { response, answer } = await postJson(root.dataset.checkUrl, { xml: await currentXml() });
  if (!response.ok) {
    status(answer.title || `检查失败（${response.status}）`);
    return;
  }
  showProblems(answer.problems);
  clean = answer.problems.length === 0;
  $("editor-deploy").disabled = !clean;
  status(clean ? "检查通过，可以部署" : `发现 ${answer.problems.length} 处问题，改正后再检查`);
}

async function deploy() {
  const xml = await currentXml();
  const comment = $("editor-comment").value.trim();
  const body = comment ? { xml, comment } : { xml };
  status("正在部署…");
  const { response, answer } = await postJson(root.dataset.deployUrl, body);
  if (response.ok) {
    status(answer.created ? `已部署为第 ${answer.version} 版` : `与第 ${answer.version} 版相同，未新建版本`);
    return;
  }
  if (answer.errors) showProblems(answer.errors);
  $("editor-deploy").disabled = true;
  status(answer.title || `部署失败（${response.status}）`);
}

async function download() {
  const xml = await currentXml();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([xml], { type: "application/xml" }));
  link.download = `${root.dataset.key || "new_process"}.bpmn`;
  link.click();
  URL.revokeObjectURL(link.href);
}

// Any change after a clean check needs a new check before deploying.
modeler.on("commandStack.changed", () => {
  if (clean) {
    clean = false;
    $("editor-deploy").disabled = true;
    status("流程图已修改，请重新检查");
  }
});

// 打开文件: a diagram made by another tool (or saved earlier) replaces the one on the canvas; the
// check runs at once, so what the service would still need (who acts, deadlines, forms) is flagged.
// The server checks the file again on every check and deploy: the browser only reads it.
async function openFile() {
  const file = $("editor-file").files[0];
  if (!file) return;
  if (file.size > Number(root.dataset.maxBytes || 2097152)) {
    status(`文件过大：流程图文件不能超过 ${Math.round(Number(root.dataset.maxBytes || 2097152) / 1048576)} MB`);
    return;
  }
  const text = await file.text();
  try {
    await modeler.importXML(text);
  } catch (err) {
    status(`无法打开“${file.name}”：${err.message}`);
    return;
  }
  modeler.get("canvas").zoom("fit-viewport", "auto");
  clean = false;
  $("editor-deploy").disabled = true;
  await check();
  status(`已打开“${file.name}”。${$("editor-status").textContent}`);
}

$("editor-check").addEventListener("click", check);
$("editor-file").addEventListener("change", openFile);
$("editor-deploy").addEventListener("click", deploy);
$("editor-download").addEventListener("click", download);

async function open() {
  await loadChoices(root.dataset, modeler.get("eventBus"));
  try {
    const { warnings } = await modeler.importXML(root.dataset.xml);
    modeler.get("canvas").zoom("fit-viewport", "auto");
    root.dataset.ready = "true";
    if (warnings.length) console.warn(warnings);
  } catch (err) {
    status(`无法打开流程图：${err.message}`);
  }
}

open();
