// zh-CN for the modeler's own UI (issue 12: UI text Chinese first): bpmn-js's palette, context pad and
// replace menu, diagram-js's tools, and the properties panel's built-in groups, header and list
// buttons. bpmn-js asks its `translate` service for every such text; this module replaces the
// English identity one. Our own dictionary, written from the strings the libraries pass to
// translate(); a text without an entry stays in English, so a library update never breaks the page.

// Element kinds, looked up in lower case: the replace menu says "User task", the panel's header
// "User Task", the two spellings of sub-processes differ too.
const ELEMENTS = {
  task: "任务",
  "user task": "用户任务",
  "service task": "服务任务",
  "send task": "发送任务",
  "receive task": "接收任务",
  "manual task": "人工任务",
  "business rule task": "业务规则任务",
  "script task": "脚本任务",
  "call activity": "调用活动",
  "sub-process": "子流程",
  "sub-process (collapsed)": "子流程（折叠）",
  "sub-process (expanded)": "子流程（展开）",
  "collapsed sub process": "子流程（折叠）",
  "expanded sub process": "子流程（展开）",
  "ad-hoc sub-process": "自由子流程",
  "ad-hoc sub-process (collapsed)": "自由子流程（折叠）",
  "ad-hoc sub-process (expanded)": "自由子流程（展开）",
  "collapsed ad hoc sub process": "自由子流程（折叠）",
  "expanded ad hoc sub process": "自由子流程（展开）",
  "event sub-process": "事件子流程",
  "event sub process": "事件子流程",
  transaction: "事务",
  gateway: "网关",
  "exclusive gateway": "排他网关",
  "parallel gateway": "并行网关",
  "inclusive gateway": "包容网关",
  "complex gateway": "复杂网关",
  "event-based gateway": "事件网关",
  "event based gateway": "事件网关",
  "event based instantiating gateway": "实例化事件网关",
  "parallel event based instantiating gateway": "并行实例化事件网关",
  "sequence flow": "顺序流",
  "default flow": "默认流",
  "conditional flow": "条件流",
  "message flow": "消息流",
  association: "关联",
  "data input association": "数据输入关联",
  "data output association": "数据输出关联",
  "data object reference": "数据对象引用",
  "data store reference": "数据存储引用",
  "data input": "数据输入",
  "data output": "数据输出",
  participant: "参与者（池）",
  "empty pool/participant": "空的池/参与者",
  "empty pool/participant (removes content)": "空的池/参与者（将删除其中内容）",
  "expanded pool/participant": "展开的池/参与者",
  lane: "泳道",
  process: "流程",
  collaboration: "协作",
  group: "分组",
  "text annotation": "文本注释",
};

// Events are named "<kind> <place> (non-interrupting)" in many combinations: composed from parts.
const EVENT_KINDS = {
  message: "消息",
  timer: "定时",
  conditional: "条件",
  signal: "信号",
  error: "错误",
  escalation: "升级",
  compensation: "补偿",
  compensate: "补偿",
  cancel: "取消",
  terminate: "终止",
  link: "链接",
  multiple: "多重",
  "parallel multiple": "并行多重",
  parallel: "并行",
};
const EVENT_PLACES = {
  "start event": "开始事件",
  "end event": "结束事件",
  "intermediate catch event": "中间捕获事件",
  "intermediate throw event": "中间抛出事件",
  "boundary event": "边界事件",
};
const PLACES = "start|end|intermediate catch|intermediate throw|boundary";
const EVENT = new RegExp(`^(?:(.+?) )?((?:${PLACES}) event)( \\(non[- ]interrupting\\))?$`);

function eventName(lower) {
  const found = EVENT.exec(lower);
  if (!found) return undefined;
  const [, kind = "", place, nonInterrupting] = found;
  if (kind && !(kind in EVENT_KINDS)) return undefined;
  return `${EVENT_KINDS[kind] || ""}${EVENT_PLACES[place]}${nonInterrupting ? "（非中断）" : ""}`;
}

// Everything else, exactly as the libraries write it.
const WORDS = {
  // palette (bpmn-js PaletteProvider)
  "Activate hand tool": "抓手工具：拖动画布",
  "Activate lasso tool": "套索工具：框选元素",
  "Activate create/remove space tool": "空间工具：增加或减少元素间距",
  "Activate global connect tool": "连线工具：连接两个元素",
  "Create start event": "新建开始事件",
  "Create intermediate/boundary event": "新建中间/边界事件",
  "Create end event": "新建结束事件",
  "Create gateway": "新建网关",
  "Create task": "新建任务",
  "Create data object reference": "新建数据对象引用",
  "Create data store reference": "新建数据存储引用",
  "Create expanded sub-process": "新建展开的子流程",
  "Create pool/participant": "新建池/参与者",
  "Create group": "新建分组",
  // context pad (bpmn-js ContextPadProvider, align and distribute)
  "Append task": "追加任务",
  "Append end event": "追加结束事件",
  "Append gateway": "追加网关",
  "Append intermediate/boundary event": "追加中间/边界事件",
  "Append receive task": "追加接收任务",
  "Append message intermediate catch event": "追加消息中间捕获事件",
  "Append timer intermediate catch event": "追加定时中间捕获事件",
  "Append conditional intermediate catch event": "追加条件中间捕获事件",
  "Append signal intermediate catch event": "追加信号中间捕获事件",
  "Append compensation activity": "追加补偿活动",
  "Add text annotation": "添加文本注释",
  "Connect to other element": "连接到其他元素",
  "Connect using association": "用关联连接",
  "Connect using data input association": "用数据输入关联连接",
  "Change element": "更改元素类型",
  Delete: "删除",
  "Add lane above": "在上方添加泳道",
  "Add lane below": "在下方添加泳道",
  "Divide into two lanes": "分为两条泳道",
  "Divide into three lanes": "分为三条泳道",
  "Align elements": "对齐元素",
  "Align elements left": "左对齐",
  "Align elements center": "水平居中对齐",
  "Align elements right": "右对齐",
  "Align elements top": "顶端对齐",
  "Align elements middle": "垂直居中对齐",
  "Align elements bottom": "底端对齐",
  "Distribute elements horizontally": "水平等距分布",
  "Distribute elements vertically": "垂直等距分布",
  "Search in diagram": "在流程图中搜索",
  "Open {element}": "打开 {element}",
  // replace menu header buttons (bpmn-js ReplaceMenuProvider)
  "Parallel multi-instance": "并行多实例（会签）",
  "Sequential multi-instance": "串行多实例",
  Loop: "循环",
  Collection: "集合",
  "Participant multiplicity": "参与者多重性",
  "Toggle non-interrupting": "切换为中断/非中断",
  // modelling refused (bpmn-js ModelingFeedback)
  "flow elements must be children of pools/participants": "流程元素须放在池/参与者之内",
  "Data object must be placed within a pool/participant.": "数据对象须放在池/参与者之内。",
  // properties panel: empty and multiple selection, built-in groups (bpmn-js-properties-panel)
  "Select an element to edit its properties.": "选择一个元素以编辑其属性。",
  "Multiple elements are selected. Select a single element to edit its properties.":
    "已选中多个元素。请只选一个元素以编辑其属性。",
  General: "基本信息",
  Name: "名称",
  ID: "标识（ID）",
  "Participant ID": "参与者标识（ID）",
  "Participant Name": "参与者名称",
  "Process name": "流程名称",
  "Process ID": "流程标识（ID）",
  Executable: "可执行",
  "ID must not be empty.": "ID 不能为空。",
  "ID must be unique.": "ID 已被其他元素使用，须唯一。",
  "ID must not contain spaces.": "ID 不能含空格。",
  "ID must not contain prefix.": "ID 不能带命名空间前缀。",
  "ID must be a valid QName.": "ID 须是有效的 XML 名称（字母开头，不含特殊字符）。",
  Documentation: "说明",
  "Element documentation": "元素说明",
  "Process documentation": "流程说明",
  "Multi-instance": "多实例",
  "Loop cardinality": "实例个数",
  "Completion condition": "完成条件",
  Completion: "完成",
  "Cancel remaining instances": "取消其余实例",
  Compensation: "补偿",
  "Wait for completion": "等待完成",
  "Activity reference": "活动引用",
  Error: "错误",
  "Global error reference": "全局错误引用",
  Code: "代码",
  Message: "消息",
  "Global message reference": "全局消息引用",
  Signal: "信号",
  "Global signal reference": "全局信号引用",
  Escalation: "升级",
  "Global escalation reference": "全局升级引用",
  Link: "链接",
  Timer: "定时",
  Type: "类型",
  Value: "值",
  Date: "日期",
  Duration: "时长",
  Cycle: "周期",
  Condition: "条件",
  "Condition Expression": "条件表达式",
  "<none>": "（无）",
  "<empty>": "（空）",
  "Create new ...": "新建……",
  "Documentation: Timer events": "说明文档：定时事件",
  "A specific point in time defined as ISO 8601 combined date and time representation.":
    "某一时刻，用 ISO 8601 日期时间表示。",
  "A time duration defined as ISO 8601 durations format.": "一段时长，用 ISO 8601 时长格式表示。",
  "A cycle defined as ISO 8601 repeating intervals format.": "重复周期，用 ISO 8601 重复间隔格式表示。",
  "UTC time": "UTC 时间",
  "UTC plus 2 hours zone offset": "UTC 加 2 小时的时区",
  "15 seconds": "15 秒",
  "1 hour and 30 minutes": "1 小时 30 分钟",
  "14 days": "14 天",
  "every 10 seconds, up to 5 times": "每 10 秒一次，最多 5 次",
  "every day, infinitely": "每天一次，不限次数",
  // list groups and entries (@bpmn-io/properties-panel)
  Create: "新建",
  "Create new list item": "新建一项",
  "Delete item": "删除此项",
  "Toggle list item": "展开或收起此项",
  "Toggle section": "展开或收起本组",
  "List contains {numOfItems} item": "共 {numOfItems} 项",
  "List contains {numOfItems} items": "共 {numOfItems} 项",
  "Section contains edits": "本组已填写",
  "Section contains an error": "本组有错误",
  "Open documentation": "打开说明文档",
  "Open pop-up editor": "在弹出窗口中编辑",
  "Opened in editor": "已在弹出窗口中打开",
};

/** The Chinese for one of the libraries' texts (the English where there is none), placeholders filled. */
export function translateZh(template, replacements = {}) {
  const lower = template.toLowerCase();
  const text = WORDS[template] ?? ELEMENTS[lower] ?? eventName(lower) ?? template;
  return text.replace(/{([^}]+)}/g, (whole, key) => (key in replacements ? String(replacements[key]) : whole));
}

// In a modeler's additionalModules, replaces diagram-js's English `translate` service.
export const TranslateZhModule = { translate: ["value", translateZh] };
