"""Parallel tasks answered through different server processes (gunicorn runs several).

Each app built here has its own parsed-diagram cache, as a second worker process would: nothing a
case needs may live only in the process that created its parallel tasks.
"""

from __future__ import annotations

import threading

import pytest

from tests.service import flows
from tests.service.flows import view
from tests.service.test_proposal_api import START


@pytest.fixture(scope="module")
def other_process(database_overrides, clock, sender, tokens, app):
    """A second app over the same database: its own engine, spec cache and sessions."""
    from service import create_app
    from tests.conftest import Api

    second = create_app(database_overrides, clock=clock, sender=sender)
    return Api(second.test_client(), tokens)


def _proposal(api, mode: str, departments: list[str]) -> dict:
    case = flows.start(api, "proposal", "chen.jing", START)
    data = {"handling_mode": mode, "owning_department": "planning"}
    data["co_handlers" if mode == "lead" else "separate_handlers"] = departments
    return flows.act(api, case, "register", "chen.jing", data)


WHO = {"office": "zhang.wei", "info_center": "xu.ming", "legal": "chen.jing", "planning": "wang.fang"}


def test_pro2_co_handlers_answering_through_another_process_reach_the_lead(api, other_process):
    """Created by one worker, answered through another: does the lead get both opinions and the draft task?"""
    case = _proposal(api, "lead", ["office", "info_center"])
    for task in case["open_tasks"]:
        code = task["department"]["code"]
        flows.complete(other_process, task["id"], WHO[code], {"co_opinion_text": f"{code} 的意见"})
    after = view(api, case)
    opinions = {o["department"]: o["opinion"] for o in after["data"]["co_opinions"]}
    assert opinions == {"office": "office 的意见", "info_center": "info_center 的意见"}
    assert [t["task_spec"] for t in after["open_tasks"]] == ["draft_reply"]


def test_pro2_separate_replies_answered_through_two_processes_are_all_sent_on(api, other_process):
    """分办 answered half through one worker, half through another: does 法规处 get every reply to send?"""
    case = _proposal(api, "separate", ["office", "info_center", "legal"])
    for index, task in enumerate(case["open_tasks"]):
        code = task["department"]["code"]
        served = other_process if index % 2 == 0 else api
        data = {"separate_reply_content": f"{code} 答复", "separate_grade": "B"}
        flows.complete(served, task["id"], WHO[code], data)
    after = view(api, case)
    replies = {r["department"]: r["reply"] for r in after["data"]["separate_replies"]}
    assert replies == {"office": "office 答复", "info_center": "info_center 答复", "legal": "legal 答复"}
    assert [t["task_spec"] for t in after["open_tasks"]] == ["send_reply"]


def test_pro2_four_departments_answering_at_the_same_moment_all_succeed(api, other_process, app):
    """Four co-handlers press 提交 together, through two workers: do all four get 200 and all four opinions count?"""
    departments = ["office", "info_center", "legal", "planning"]
    case = _proposal(api, "lead", departments)
    start = threading.Barrier(len(departments))
    statuses: dict[str, int] = {}

    def answer(task, served):
        code = task["department"]["code"]
        start.wait()
        response = served.post(
            f"/tasks/{task['id']}/complete", WHO[code], {"data": {"co_opinion_text": f"{code} 同意"}}
        )
        statuses[code] = response.status_code

    # Each thread its own test client: its own app context and database session, like a worker.
    threads = [
        threading.Thread(target=answer, args=(task, (api if i % 2 else other_process).fresh()))
        for i, task in enumerate(case["open_tasks"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == dict.fromkeys(departments, 200)
    after = view(api, case)
    assert sorted(o["department"] for o in after["data"]["co_opinions"]) == sorted(departments)
    assert [t["task_spec"] for t in after["open_tasks"]] == ["draft_reply"]
