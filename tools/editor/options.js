// Building the panel's dropdown options: a value the diagram holds stays offered (marked) even when
// no list has it, so opening a diagram never silently changes it.
import { choices } from "./choices.js";

export function withCurrent(options, current, label = (v) => `${v}（当前值）`) {
  if (current && !options.some((o) => o.value === current)) {
    return [...options, { value: current, label: label(current) }];
  }
  return options;
}

/** The active profile's deadlines by name, with a first option for none. */
export function deadlineOptions(current, none = "（无）") {
  const named = choices.deadlines.map((d) => ({ value: d.name, label: `${d.label}（${d.period.text}）` }));
  return [{ value: "", label: none }, ...withCurrent(named, current, (v) => `${v}（当前配置中没有）`)];
}

/** A first option meaning "not set", then the options, then the current value if none of them. */
export function optional(none, options, current) {
  return [{ value: "", label: none }, ...withCurrent(options, current)];
}
