// A task's own deadlines (docs/diagrams.md, "Deadlines"): the plain govflow:deadline (no when) in
// 办理期限, and the ones chosen by the case data (with when) in 按条件的期限, first match wins.
// Both may count from a date field of the diagram's forms and continue a first round's count.
import { ListGroup, SelectEntry } from "@bpmn-io/properties-panel";
import { choices } from "./choices.js";
import { fieldOption, processFields, processOf, sampleCondition } from "./diagram-facts.js";
import { deadlineOptions, optional } from "./options.js";

const REPEATS = [
  ["continue", "接着第一轮计时（continue）"],
  ["restart", "重新计时（restart）"],
];

// from and repeat of one govflow:deadline: the same two entries on the plain and the conditional ones.
function startEntries(provider, id, element, deadline) {
  const m = provider._markup;
  return [
    {
      id: `${id}-from`,
      label: "起算日期（from）",
      description: "从该日期字段起算；不选则从任务到达收件箱之日起算",
      component: SelectEntry,
      getValue: () => deadline().get("from") || "",
      setValue: (value) => m.set(deadline(), { from: value || undefined }),
      getOptions: () => {
        const dates = processFields(processOf(element)).filter((f) => f.get("type") === "date");
        return optional("（任务到达之日）", dates.map(fieldOption), deadline().get("from"));
      },
    },
    {
      id: `${id}-repeat`,
      label: "任务再次办理时（repeat）",
      description: "如整改被退回后重做：continue 保持第一轮的到期日",
      component: SelectEntry,
      getValue: () => deadline().get("repeat") || "",
      setValue: (value) => m.set(deadline(), { repeat: value || undefined }),
      getOptions: () =>
        optional(
          "（重新计时，默认）",
          REPEATS.map(([value, label]) => ({ value, label })),
          deadline().get("repeat"),
        ),
    },
  ];
}

export function deadlineGroup(provider, element) {
  const m = provider._markup;
  const plain = () => m.children(element, "govflow:Deadline").find((d) => !d.get("when"));
  const entries = [
    {
      id: "govflow-deadline-name",
      label: "期限（当前配置的期限名称）",
      component: SelectEntry,
      getValue: () => plain()?.get("name") || "",
      setValue: (value) => {
        const found = plain();
        if (!value) m.removeChild(element, found);
        else if (found) m.set(found, { name: value });
        else m.addChild(element, "govflow:Deadline", { name: value });
      },
      getOptions: () => deadlineOptions(plain()?.get("name"), "（不单独计时，显示案件期限）"),
    },
  ];
  if (plain()) entries.push(...startEntries(provider, "govflow-deadline", element, plain));
  return { id: "govflow-deadline", label: "办理期限", entries };
}

export function conditionalDeadlineGroup(provider, element) {
  const m = provider._markup;
  const conditional = m.children(element, "govflow:Deadline").filter((d) => d.get("when"));
  return {
    id: "govflow-conditional-deadlines",
    label: "按条件的期限",
    tooltip: "任务创建时按案件数据选用第一个条件成立的期限；都不成立时用“办理期限”中的期限",
    component: ListGroup,
    add: (event) => {
      event.stopPropagation();
      const when = sampleCondition(processOf(element));
      m.addChild(element, "govflow:Deadline", { name: choices.deadlines[0]?.name, when });
    },
    items: conditional.map((d, i) => {
      const id = `govflow-conditional-deadline-${i}`;
      const deadline = () => d;
      return {
        id,
        label: `${d.get("when")} → ${d.get("name") || "（未选期限）"}`,
        entries: [
          provider._text(`${id}-when`, "条件（字段=取值）", deadline, "when", {
            description: "如 urgency=urgent；多个取值用 | 分隔",
            // Without when it would be the task's plain deadline: an empty condition is not kept.
            validate: (value) => (value && value.trim() ? null : "请填写条件，如 urgency=urgent"),
            setValue: (value, error) => {
              if (!error) m.set(d, { when: value.trim() });
            },
          }),
          {
            id: `${id}-name`,
            label: "期限",
            component: SelectEntry,
            getValue: () => d.get("name") || "",
            setValue: (value) => m.set(d, { name: value || undefined }),
            getOptions: () => deadlineOptions(d.get("name"), "（请选择）"),
          },
          ...startEntries(provider, id, element, deadline),
        ],
        remove: () => m.removeChild(element, d),
      };
    }),
  };
}
