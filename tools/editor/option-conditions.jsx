// An option's onlyIf and whyNot (MBX-4): the form offers the option only while the case data holds
// onlyIf, and an answer with it otherwise is refused with whyNot. One option at a time: a dropdown
// of the field's options, then the two fields of the one chosen (which option is shown is the
// panel's own state, not the diagram's).
import { SelectEntry, TextFieldEntry } from "@bpmn-io/properties-panel";
import { useState } from "@bpmn-io/properties-panel/preact/hooks";

function optionLabel(option) {
  const value = option.get("value") || "";
  return option.get("label") ? `${option.get("label")}（${value}）` : value;
}

export function OptionConditionsEntry({ id, element, field, markup, debounce }) {
  const options = field.get("options") || [];
  const conditioned = options.find((o) => o.get("onlyIf") || o.get("whyNot")) || options[0];
  const [chosen, choose] = useState(conditioned?.get("value") || "");
  if (!options.length) return null;
  // Options are made anew when their lines change: the chosen one is found again by its value.
  const option = options.find((o) => o.get("value") === chosen) || conditioned;
  const key = option.get("value") || "";
  const attribute = (name) => ({
    element,
    debounce,
    getValue: () => option.get(name) || "",
    setValue: (value) => markup.set(option, { [name]: value || undefined }),
  });
  return (
    <div class="govflow-option-conditions">
      <SelectEntry
        id={`${id}-option`}
        element={element}
        label="为哪个选项设条件（onlyIf / whyNot）"
        getValue={() => key}
        setValue={choose}
        getOptions={() => options.map((o) => ({ value: o.get("value") || "", label: optionLabel(o) }))}
      />
      <TextFieldEntry
        key={`${key}-only-if`}
        id={`${id}-only-if`}
        label="仅当（onlyIf：字段=取值）"
        description="如 publish_consent=yes：案件数据如此时才提供此选项；不填则总是提供"
        {...attribute("onlyIf")}
      />
      <TextFieldEntry
        key={`${key}-why-not`}
        id={`${id}-why-not`}
        label="不能选时的说明（whyNot）"
        description="条件不成立却选了此选项时，告诉办理人的话"
        {...attribute("whyNot")}
      />
    </div>
  );
}
