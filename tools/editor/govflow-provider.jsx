// The properties panel's govflow groups: every property of the project's namespace is set through a
// field here, never typed as XML. The panel takes any value; the server checks everything again on
// 检查 and on deploy. Entries are the panel's own components with getValue/setValue closures (the
// components stay the same across renders, so a field keeps its focus while typing).
import {
  ListGroup,
  SelectEntry,
  TextAreaEntry,
  TextFieldEntry,
} from "@bpmn-io/properties-panel";
import { is } from "bpmn-js/lib/util/ModelUtil";
import { caseGroup, endOutcomeGroup } from "./case-groups.js";
import { choices, laneNames } from "./choices.js";
import { conditionalDeadlineGroup, deadlineGroup } from "./deadline-groups.js";
import { formFieldEntries } from "./form-fields.js";
import { Markup } from "./markup.js";
import { deadlineOptions, withCurrent } from "./options.js";
import { caseLinkGroup, peopleGroup } from "./task-groups.js";

const CLOCK_ACTIONS = [
  ["start", "开始计时"],
  ["pause", "暂停计时"],
  ["watch", "按字段日期计时"],
  ["stop", "停止计时"],
  ["restart", "重新计时"],
  ["extend", "延长期限"],
  ["request_extension", "申请延期"],
];

export default class GovflowPropertiesProvider {
  constructor(propertiesPanel, injector) {
    this._markup = new Markup(injector);
    this._debounce = injector.get("debounceInput");
    this._translate = injector.get("translate");
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element) {
    return (groups) => {
      const add = (group) => group && groups.push(group);
      const human = is(element, "bpmn:UserTask") || is(element, "bpmn:ManualTask");
      if (is(element, "bpmn:Process") || is(element, "bpmn:Participant")) add(caseGroup(this, element));
      if (is(element, "bpmn:Lane")) add(this._lane(element));
      if (human) {
        add(deadlineGroup(this, element));
        add(conditionalDeadlineGroup(this, element));
        add(peopleGroup(this, element));
      }
      if (is(element, "bpmn:UserTask") || is(element, "bpmn:StartEvent")) {
        add(this._form(element));
        add(this._clocks(element));
      }
      if (is(element, "bpmn:UserTask")) add(caseLinkGroup(this, element));
      if (human) add(this._notices(element));
      if (is(element, "bpmn:EndEvent")) add(endOutcomeGroup(this, element));
      if (is(element, "bpmn:ServiceTask")) add(this._operation(element));
      // The panel gives no group its translate service, so each group's own buttons (展开/收起, 新建,
      // 删除) would stay in English: every group gets it here, the built-in ones too.
      for (const group of groups) group.translate = group.translate || this._translate;
      return groups;
    };
  }

  _text(id, label, target, attribute, extra = {}) {
    return {
      id,
      label,
      component: TextFieldEntry,
      debounce: this._debounce,
      getValue: () => target().get(attribute) || "",
      setValue: (value) => this._markup.set(target(), { [attribute]: value || undefined }),
      ...extra,
    };
  }

  _lane(element) {
    const m = this._markup;
    const lane = () => m.child(element, "govflow:Lane");
    return {
      id: "govflow-lane",
      label: "办理人（泳道）",
      entries: [
        {
          id: "govflow-lane-name",
          label: "由谁办理（处室、角色或处室·角色）",
          component: SelectEntry,
          getValue: () => element.businessObject.name || "",
          setValue: (value) => m.modeling.updateProperties(element, { name: value || undefined }),
          getOptions: () => {
            const current = element.businessObject.name;
            const names = laneNames().map((n) => ({ value: n, label: n }));
            return [{ value: "", label: "（请选择）" }, ...withCurrent(names, current)];
          },
        },
        {
          id: "govflow-lane-department-from",
          label: "处室取自数据字段（departmentFrom）",
          description: "会签时每个实例的处室由该字段给出；不填则按泳道名称",
          component: TextFieldEntry,
          debounce: this._debounce,
          getValue: () => lane()?.get("departmentFrom") || "",
          setValue: (value) =>
            value
              ? m.set(m.ensureChild(element, "govflow:Lane"), { departmentFrom: value })
              : m.removeChild(element, lane()),
        },
      ],
    };
  }

  _form(element) {
    const m = this._markup;
    const form = () => m.child(element, "govflow:Form");
    const fields = form()?.get("fields") || [];
    return {
      id: "govflow-form",
      label: "表单字段",
      component: ListGroup,
      add: (event) => {
        event.stopPropagation();
        const target = m.ensureChild(element, "govflow:Form");
        const n = (target.get("fields") || []).length + 1;
        m.addTo(target, "fields", "govflow:Field", { name: `field_${n}`, type: "string", label: `字段${n}` });
      },
      items: fields.map((f, i) => ({
        id: `govflow-field-${i}`,
        label: `${f.get("label") || ""} ${f.get("name") || ""}`.trim() || "（未命名字段）",
        entries: formFieldEntries(this, `govflow-field-${i}`, f),
        remove: () => m.removeFrom(form(), "fields", f),
      })),
    };
  }

  _clocks(element) {
    const m = this._markup;
    const clocks = m.children(element, "govflow:Clock");
    return {
      id: "govflow-clocks",
      label: "计时操作",
      component: ListGroup,
      add: (event) => {
        event.stopPropagation();
        m.addChild(element, "govflow:Clock", { action: "start", deadline: choices.deadlines[0]?.name });
      },
      items: clocks.map((c, i) => {
        const id = `govflow-clock-${i}`;
        const action = CLOCK_ACTIONS.find(([value]) => value === c.get("action"));
        return {
          id,
          label: `${action ? action[1] : c.get("action") || ""} ${c.get("deadline") || ""}`.trim(),
          entries: [
            {
              id: `${id}-action`,
              label: "操作",
              component: SelectEntry,
              getValue: () => c.get("action") || "",
              setValue: (value) => m.set(c, { action: value || undefined }),
              getOptions: () =>
                withCurrent(
                  CLOCK_ACTIONS.map(([value, label]) => ({ value, label: `${label}（${value}）` })),
                  c.get("action"),
                ),
            },
            {
              id: `${id}-deadline`,
              label: "期限",
              component: SelectEntry,
              getValue: () => c.get("deadline") || "",
              setValue: (value) => m.set(c, { deadline: value || undefined }),
              getOptions: () => deadlineOptions(c.get("deadline")),
            },
            this._text(`${id}-when`, "条件（字段=取值）", () => c, "when"),
            this._text(`${id}-from`, "起算日期字段（from）", () => c, "from"),
            this._text(`${id}-receipt`, "收到日期字段（fromReceipt）", () => c, "fromReceipt"),
            this._text(`${id}-repeat`, "再次开始时（repeat）", () => c, "repeat"),
            this._text(`${id}-amount`, "延长天数字段（amountField）", () => c, "amountField"),
            this._text(`${id}-reason`, "延长理由字段（reasonField）", () => c, "reasonField"),
            this._text(`${id}-maximum`, "最长期限（maximum）", () => c, "maximum"),
          ],
          remove: () => m.removeChild(element, c),
        };
      }),
    };
  }

  _notices(element) {
    const m = this._markup;
    const notices = m.children(element, "govflow:Notice");
    return {
      id: "govflow-notices",
      label: "告知申请人",
      component: ListGroup,
      add: (event) => {
        event.stopPropagation();
        m.addChild(element, "govflow:Notice", { subject: "办理结果告知", text: "您的申请已办理。" });
      },
      items: notices.map((n, i) => ({
        id: `govflow-notice-${i}`,
        label: n.get("subject") || "（无标题）",
        entries: [
          this._text(`govflow-notice-${i}-subject`, "标题", () => n, "subject"),
          this._text(`govflow-notice-${i}-when`, "条件（字段=取值）", () => n, "when"),
          {
            id: `govflow-notice-${i}-text`,
            label: "正文",
            component: TextAreaEntry,
            debounce: this._debounce,
            rows: 4,
            getValue: () => n.get("text") || "",
            setValue: (value) => m.set(n, { text: value || undefined }),
          },
        ],
        remove: () => m.removeChild(element, n),
      })),
    };
  }

  _operation(element) {
    const m = this._markup;
    const operator = () => m.child(element, "spiffworkflow:ServiceTaskOperator");
    return {
      id: "govflow-operation",
      label: "服务操作",
      entries: [
        {
          id: "govflow-operation-name",
          label: "操作（处理程序）",
          component: SelectEntry,
          getValue: () => operator()?.get("id") || "",
          setValue: (value) => m.setOperation(element, value, choices.operations),
          getOptions: () => {
            const known = choices.operations.map((o) => ({ value: o.name, label: `${o.label}（${o.name}）` }));
            return [{ value: "", label: "（请选择）" }, ...withCurrent(known, operator()?.get("id"))];
          },
        },
        {
          ...this._text("govflow-operation-result", "结果保存到字段（resultVariable）", operator, "resultVariable"),
          setValue: (value) =>
            m.set(m.ensureChild(element, "spiffworkflow:ServiceTaskOperator"), { resultVariable: value || undefined }),
        },
        {
          id: "govflow-operation-parameters",
          label: "参数（每行：名称=表达式）",
          component: TextAreaEntry,
          debounce: this._debounce,
          rows: 3,
          getValue: () => m.parameterLines(operator()),
          setValue: (value) => m.setParameters(element, value || ""),
        },
      ],
    };
  }
}

GovflowPropertiesProvider.$inject = ["propertiesPanel", "injector"];
