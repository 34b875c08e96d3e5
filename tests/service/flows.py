"""Steps of the seed flows through the API, shared by the service tests.

A case is the JSON the API returns for it; helpers take it (or its id) and act as a demo user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Art. 29 of the regulation: who applies (a citizen, with an identity document), how to reach them,
# what they seek and in which form.
APPLICANT = {
    "applicant_type": "person",
    "id_type": "resident_id",
    "id_number": "110101199001011234",
    "delivery_form": "email",
}
START = {
    **APPLICANT,
    "applicant_name": "王小明",
    "applicant_contact": "wang@example.cn",
    "request_content": "请公开2025年建设用地规划许可证发放目录",
    "channel": "online",
}


@dataclass
class Served:
    """The API and the app of one agency profile, over the shared test database."""

    profile: str
    api: Any
    app: Any


def serve(profile: str, api, app, api_for_profile) -> Served:
    """The shared test database served under `profile` (national is the default app)."""
    if profile == "national":
        return Served(profile, api, app)
    other = api_for_profile(profile)
    return Served(profile, other, other.client.application)


def start(api, key: str, user: str, data: dict[str, Any]) -> dict[str, Any]:
    """Start a case of diagram `key` as `user`; returns the new case."""
    response = api.post(f"/process-definitions/{key}/instances", user, {"data": data})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _id(case: dict[str, Any] | int) -> int:
    return case if isinstance(case, int) else case["id"]


def view(api, case: dict[str, Any] | int, user: str = "admin") -> dict[str, Any]:
    """The case as it is now."""
    return api.get(f"/process-instances/{_id(case)}", user).get_json()


def open_tasks(api, case: dict[str, Any] | int) -> list[dict[str, Any]]:
    return view(api, case)["open_tasks"]


def open_task(api, case: dict[str, Any] | int, user: str = "admin", *, department: str | None = None):
    """The case's one open task (or its one open task in `department`)."""
    tasks = view(api, case, user)["open_tasks"]
    if department is not None:
        tasks = [t for t in tasks if t["department"]["code"] == department]
    (task,) = tasks
    return task


def complete(api, task_id: int, user: str, data: dict[str, Any]) -> dict[str, Any]:
    response = api.post(f"/tasks/{task_id}/complete", user, {"data": data})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def attempt(api, case, user: str, data: dict[str, Any], *, department: str | None = None):
    """Try to complete the case's open task as `user`; returns the response, whatever it is."""
    task = open_task(api, case, department=department)
    return api.post(f"/tasks/{task['id']}/complete", user, {"data": data})


def act(api, case, spec: str, user: str, data: dict[str, Any], *, department: str | None = None):
    """Complete the case's open task `spec` (in `department`, if several) and return the case as it is then."""
    task = open_task(api, case, department=department)
    assert task["task_spec"] == spec, (task["task_spec"], spec)
    complete(api, task["id"], user, data)
    return view(api, case)


def refused(api, case, *users: str) -> None:
    """Each of these people gets 403 trying to complete the open task, which stays open."""
    task = open_task(api, case)
    for user in users:
        response = api.post(f"/tasks/{task['id']}/complete", user, {"data": {}})
        assert response.status_code == 403, (user, response.get_json())
        assert response.get_json()["code"] == "not_task_department"
    assert open_task(api, case)["id"] == task["id"]


def clock_named(case: dict[str, Any], name: str) -> dict[str, Any]:
    """The one clock (the case's or a task's) called `name`."""
    (found,) = [d for d in case["deadlines"] if d["name"] == name]
    return found


def case_clock(case: dict[str, Any], name: str) -> dict[str, Any]:
    """The case's own clock called `name` (not a task's)."""
    (found,) = [d for d in case["deadlines"] if d["name"] == name and d["task_id"] is None]
    return found


def start_disclosure(api, user="zhang.wei"):
    return start(api, "disclosure_request", user, START)


def register(api, instance_id, department="planning", decision="accept"):
    task = open_task(api, instance_id)
    data = {"owning_department": department, "received_on": "2026-03-02", "registration_decision": decision}
    return complete(api, task["id"], "zhang.wei", data)
