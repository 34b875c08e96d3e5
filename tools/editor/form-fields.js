// The entries of one form field in the 表单字段 list: name, type, label, required, requiredIf,
// options (one a line: value=label; an option's onlyIf/whyNot stay with its value and are set one
// option at a time below the lines), bounds and the field's note (govflow:documentation).
import { CheckboxEntry, SelectEntry, TextAreaEntry } from "@bpmn-io/properties-panel";
import { OptionConditionsEntry } from "./option-conditions.jsx";

export const FIELD_TYPES = [
  ["string", "单行文字"],
  ["text", "多行文字"],
  ["integer", "整数"],
  ["boolean", "是/否"],
  ["date", "日期"],
  ["enum", "单选"],
  ["enums", "多选"],
  ["department", "处室"],
  ["departments", "多个处室"],
  ["contact", "手机号或电子邮箱"],
  ["url", "网址"],
];

function optionLines(field) {
  return (field.get("options") || []).map((o) => `${o.get("value") || ""}=${o.get("label") || ""}`).join("\n");
}

function setOptions(m, field, text) {
  const old = field.get("options") || [];
  const made = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [value, ...label] = line.split("=");
      const kept = old.find((o) => o.get("value") === value.trim());
      return m.create(
        "govflow:Option",
        {
          value: value.trim(),
          label: label.join("=").trim() || undefined,
          onlyIf: kept?.get("onlyIf"),
          whyNot: kept?.get("whyNot"),
        },
        field,
      );
    });
  m.set(field, { options: made });
}

export function formFieldEntries(provider, id, field) {
  const m = provider._markup;
  const text = (suffix, label, attribute, extra) =>
    provider._text(`${id}-${suffix}`, label, () => field, attribute, extra);
  return [
    text("name", "字段名（英文）", "name"),
    {
      id: `${id}-type`,
      label: "类型",
      component: SelectEntry,
      getValue: () => field.get("type") || "string",
      setValue: (value) => m.set(field, { type: value }),
      getOptions: () => FIELD_TYPES.map(([value, label]) => ({ value, label: `${label}（${value}）` })),
    },
    text("label", "标签（中文）", "label"),
    {
      id: `${id}-required`,
      label: "必填",
      component: CheckboxEntry,
      getValue: () => field.get("required") === "true",
      setValue: (value) => m.set(field, { required: value ? "true" : undefined }),
    },
    text("required-if", "条件必填（字段=取值）", "requiredIf"),
    {
      id: `${id}-options`,
      label: "选项（每行：取值=中文）",
      component: TextAreaEntry,
      debounce: provider._debounce,
      rows: 3,
      getValue: () => optionLines(field),
      setValue: (value) => setOptions(m, field, value || ""),
    },
    {
      id: `${id}-option-conditions`,
      component: OptionConditionsEntry,
      field,
      markup: m,
      debounce: provider._debounce,
    },
    text("max-length", "最多字数（maxLength）", "maxLength"),
    text("min-items", "至少选几项（minItems）", "minItems"),
    text("not-after", "不晚于（notAfter：today 或日期字段）", "notAfter"),
    text("after", "晚于（after：日期字段）", "after"),
    text("profile-options", "选项取自配置（profileOptions）", "profileOptions"),
    {
      id: `${id}-documentation`,
      label: "说明（documentation）",
      description: "写给维护流程图的人：字段的依据或含义，如 NAT-2：收到申请之日",
      component: TextAreaEntry,
      debounce: provider._debounce,
      rows: 2,
      getValue: () => (field.get("documentation") || []).map((d) => d.get("text") || "").join("\n"),
      setValue: (value) =>
        m.set(field, { documentation: value ? [m.create("govflow:Documentation", { text: value }, field)] : [] }),
    },
  ];
}
