// The lists the panel's dropdowns offer: departments, roles, the active profile's deadlines, the
// service operations, the deployed diagrams (what a case link may point to). Fetched once when the
// page opens; a list that cannot be had stays empty (the field then shows the value the diagram
// holds, and the server's check judges it).
export const choices = { departments: [], roles: [], deadlines: [], operations: [], processes: [] };

async function items(url, pick) {
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    return response.ok ? pick(await response.json()) : [];
  } catch (err) {
    return [];
  }
}

export async function loadChoices(data) {
  choices.roles = JSON.parse(data.roles || "[]");
  [choices.departments, choices.deadlines, choices.operations, choices.processes] = await Promise.all([
    items(data.departmentsUrl, (body) => body.items),
    items(data.profileUrl, (body) => body.deadlines),
    items(data.operationsUrl, (body) => body.items),
    items(data.definitionsUrl, (body) => body.items.map(({ key, name }) => ({ key, name }))),
  ]);
}

// The lane names that resolve to people (docs/diagrams.md, "Lanes: who does a task").
export function laneNames() {
  const owning = ["承办处室", "信息员", "处室负责人", "分管领导", "主要领导"];
  const named = [];
  for (const d of choices.departments) {
    named.push(d.name);
    for (const r of choices.roles) {
      if (r.value !== "member") named.push(`${d.name}·${r.label}`);
    }
  }
  return [...owning, ...named];
}
