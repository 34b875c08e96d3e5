// Reading and changing govflow's markup in the moddle tree through undoable commands
// (element.updateModdleProperties), so the panel, the canvas and undo stay in step.
import { is } from "bpmn-js/lib/util/ModelUtil";

export class Markup {
  constructor(injector) {
    this.modeling = injector.get("modeling");
    this.moddle = injector.get("moddle");
    this.registry = injector.get("elementRegistry");
  }

  // The moddle element whose extensions a diagram element's markup sits in: a participant's is
  // its process's (govflow:case), since a participant itself carries none.
  bo(element) {
    const bo = element.businessObject;
    return is(bo, "bpmn:Participant") ? bo.get("processRef") : bo;
  }

  children(element, type) {
    const ext = this.bo(element).get("extensionElements");
    return ext ? ext.get("values").filter((v) => v.$instanceOf(type)) : [];
  }

  child(element, type) {
    return this.children(element, type)[0];
  }

  set(target, properties) {
    const element = this._owner(target);
    this.modeling.updateModdleProperties(element, target, properties);
  }

  _extensions(element) {
    const bo = this.bo(element);
    let ext = bo.get("extensionElements");
    if (!ext) {
      ext = this.moddle.create("bpmn:ExtensionElements", { values: [] });
      ext.$parent = bo;
      this.modeling.updateModdleProperties(element, bo, { extensionElements: ext });
    }
    return ext;
  }

  create(type, properties, parent) {
    const clean = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== undefined));
    const made = this.moddle.create(type, clean);
    made.$parent = parent;
    return made;
  }

  addChild(element, type, properties = {}) {
    const ext = this._extensions(element);
    const made = this.create(type, properties, ext);
    this.modeling.updateModdleProperties(element, ext, { values: [...ext.get("values"), made] });
    return made;
  }

  ensureChild(element, type) {
    return this.child(element, type) || this.addChild(element, type);
  }

  removeChild(element, target) {
    const ext = this.bo(element).get("extensionElements");
    if (!ext || !target) return;
    this.modeling.updateModdleProperties(element, ext, { values: ext.get("values").filter((v) => v !== target) });
  }

  addTo(parent, property, type, properties) {
    const made = this.create(type, properties, parent);
    this.set(parent, { [property]: [...(parent.get(property) || []), made] });
    return made;
  }

  removeFrom(parent, property, target) {
    this.set(parent, { [property]: (parent.get(property) || []).filter((v) => v !== target) });
  }

  // The diagram element (shape) a moddle object of the markup belongs to.
  _owner(target) {
    let bo = target;
    while (bo && !bo.$instanceOf("bpmn:BaseElement")) bo = bo.$parent;
    if (bo && bo.$instanceOf("bpmn:ExtensionElements")) bo = bo.$parent;
    // A process drawn in a pool has no shape of its own: its participant stands for it.
    return (
      this.registry.find((e) => e.businessObject === bo) ||
      this.registry.find((e) => is(e, "bpmn:Participant") && e.businessObject.get("processRef") === bo)
    );
  }

  parameterLines(operator) {
    const params = operator?.get("parameterList")?.get("parameters") || [];
    return params.map((p) => `${p.get("id")}=${p.get("value") || ""}`).join("\n");
  }

  setParameters(element, text) {
    const operator = this.ensureChild(element, "spiffworkflow:ServiceTaskOperator");
    const list = this.create("spiffworkflow:Parameters", {}, operator);
    const old = operator.get("parameterList")?.get("parameters") || [];
    const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
    const made = lines.map((line) => {
      const [id, ...rest] = line.split("=");
      const type = old.find((p) => p.get("id") === id.trim())?.get("type") || "any";
      return this.create("spiffworkflow:Parameter", { id: id.trim(), type, value: rest.join("=").trim() }, list);
    });
    list.set("parameters", made);
    this.set(operator, { parameterList: list });
  }

  setOperation(element, name, operations) {
    const operator = this.ensureChild(element, "spiffworkflow:ServiceTaskOperator");
    this.set(operator, { id: name || undefined });
    const wanted = operations.find((o) => o.name === name)?.parameters || [];
    const have = this.parameterLines(operator).split("\n").filter(Boolean);
    const names = new Set(have.map((l) => l.split("=")[0]));
    const lines = [...have, ...wanted.filter((p) => !names.has(p)).map((p) => `${p}=`)];
    this.setParameters(element, lines.join("\n"));
  }
}
