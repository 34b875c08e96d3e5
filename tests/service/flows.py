"""Steps of the disclosure flow through the API, shared by the service tests."""

START = {
    "applicant_name": "王小明",
    "applicant_contact": "wang@example.cn",
    "request_content": "请公开2025年建设用地规划许可证发放目录",
    "channel": "online",
}


def start_disclosure(api, user="zhang.wei"):
    response = api.post("/process-definitions/disclosure_request/instances", user, {"data": START})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def open_task(api, instance_id, user="admin"):
    (task,) = api.get(f"/process-instances/{instance_id}", user).get_json()["open_tasks"]
    return task


def complete(api, task_id, user, data):
    response = api.post(f"/tasks/{task_id}/complete", user, {"data": data})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def register(api, instance_id, department="planning", decision="accept"):
    task = open_task(api, instance_id)
    data = {"owning_department": department, "received_on": "2026-03-02", "registration_decision": decision}
    return complete(api, task["id"], "zhang.wei", data)
