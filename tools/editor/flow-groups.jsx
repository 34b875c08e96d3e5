// A sequence flow's condition: bpmn:conditionExpression, a Python expression over the case data such
// as reply_action == "reply", on the flows leaving a gateway that chooses among them. The flow the
// gateway takes when no condition holds (its default) carries none and says so instead. The server's
// 检查 runs every condition through the sandbox and names the flow of one it refuses.
import { TextFieldEntry } from "@bpmn-io/properties-panel";
import { is, isAny } from "bpmn-js/lib/util/ModelUtil";

const CHOOSING = ["bpmn:ExclusiveGateway", "bpmn:InclusiveGateway"];

/** A sentence and a button in the panel: the component stays the same across renders. */
export function ActionEntry({ id, text, action, onAction }) {
  return (
    <div class="bio-properties-panel-entry govflow-action-entry" data-entry-id={id}>
      <p class="bio-properties-panel-description">{text}</p>
      <button type="button" id={`bio-properties-panel-${id}`} onClick={onAction}>
        {action}
      </button>
    </div>
  );
}

function gatewayName(gateway) {
  return gateway.businessObject.name ? `“${gateway.businessObject.name}”` : "该网关";
}

export function conditionGroup(provider, element) {
  if (!is(element, "bpmn:SequenceFlow")) return null;
  const { modeling, moddle } = provider._markup;
  const flow = element.businessObject;
  const gateway = element.source;
  const choosing = isAny(flow.sourceRef, CHOOSING);
  if (!choosing && !flow.get("conditionExpression")) return null;
  if (choosing && flow.sourceRef.get("default") === flow) {
    const text = `这是${gatewayName(gateway)}的默认流向：其他流向的条件都不成立时走这里，不写条件。`;
    const cancel = () => modeling.updateProperties(gateway, { default: undefined });
    return {
      id: "govflow-condition",
      label: "条件",
      entries: [{ id: "govflow-condition-default", component: ActionEntry, text, action: "取消默认", onAction: cancel }],
    };
  }
  const entries = [
    {
      id: "govflow-condition-expression",
      label: "条件（Python 表达式）",
      description: '如 reply_action == "reply"：条件成立时走这条流向；清空即删除条件',
      component: TextFieldEntry,
      debounce: provider._debounce,
      getValue: () => flow.get("conditionExpression")?.get("body") || "",
      setValue: (value) =>
        modeling.updateProperties(element, {
          conditionExpression: value ? moddle.create("bpmn:FormalExpression", { body: value }) : undefined,
        }),
    },
  ];
  if (choosing) {
    // One undo step: the gateway's default and the condition the default flow no longer has.
    const makeDefault = () =>
      provider._commandStack.execute("properties-panel.multi-command-executor", [
        { cmd: "element.updateProperties", context: { element: gateway, properties: { default: flow } } },
        { cmd: "element.updateProperties", context: { element, properties: { conditionExpression: undefined } } },
      ]);
    entries.push({
      id: "govflow-condition-make-default",
      component: ActionEntry,
      text: `或者：其他流向的条件都不成立时，${gatewayName(gateway)}走这条流向（默认流向，不写条件）。`,
      action: "设为默认流向",
      onAction: makeDefault,
    });
  }
  return { id: "govflow-condition", label: "条件", entries };
}
