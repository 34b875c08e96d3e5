"""An administrator moves running cases of a diagram to a newer version, one or a batch, dry run first (issue 12)."""
# ruff: noqa: F811  (deploy: a fixture of test_case_migration, used here by name)

from __future__ import annotations

import threading

import pytest

from service.extensions import db
from service.models import ProcessInstance
from service.services import migrations
from service.services.org import user_for_token

from .flows import complete, open_task, view
from .test_api_errors import assert_problem
from .test_case_migration import DRILL_KEY, FORM, TO_REVIEW, deploy, drill, drill_v1, drill_v2, start_drill  # noqa: F401

REQUIRED = FORM.replace(
    "</govflow:form>",
    '<govflow:field name="basis" type="text" label="办理依据" required="true"/></govflow:form>',
)


def run(api, body, user="admin"):
    return api.post(f"/process-definitions/{DRILL_KEY}/migrations", user, body)


def outcomes(body) -> dict[int, tuple[str, str | None]]:
    return {item["case_id"]: (item["outcome"], item["reason"]) for item in body["items"]}


def state(api, case) -> tuple:
    """What a user sees of a case: its version, its open tasks by name, its history kinds."""
    now = view(api, case)
    return (
        now["process"]["version"],
        [t["name"] for t in now["open_tasks"]],
        [e["kind"] for e in now["history"]],
    )


def test_org4_a_dry_run_lists_each_case_and_changes_nothing(api, deploy):
    """Does 预演 say each case on version 1 would move, with its open task mapped and renamed, leaving every case as it was?"""
    deploy(drill_v1())
    first, second = start_drill(api), start_drill(api)
    deploy(drill_v2())
    before = [state(api, first), state(api, second)]
    response = run(api, {"dry_run": True})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["dry_run"], body["moved"], body["refused"]) == (True, 2, 0)
    item = body["items"][0]
    assert (item["case_id"], item["tracking_number"]) == (first["id"], first["tracking_number"])
    assert (item["from_version"], item["to_version"], item["outcome"]) == (1, 2, "would_move")
    assert item["renamed"] == [{"from": "办理", "to": "受理办理"}]
    assert [(t["element"], t["name"]) for t in item["tasks"]] == [("handle", "受理办理")]
    assert [state(api, first), state(api, second)] == before
    assert before[0][0] == 1 and "case_migrated" not in before[0][2]


def test_org4_the_move_after_the_dry_run_moves_each_case_and_records_it(api, deploy):
    """Does 执行迁移 move both cases to version 2, each with a history line, their open task renamed?"""
    deploy(drill_v1())
    first, second = start_drill(api), start_drill(api)
    deploy(drill_v2())
    body = run(api, {"from_version": 1, "to_version": 2, "dry_run": False}).get_json()
    assert (body["dry_run"], body["moved"], body["refused"]) == (False, 2, 0)
    assert {o for o, _ in outcomes(body).values()} == {"moved"}
    for case in (first, second):
        version, tasks, kinds = state(api, case)
        assert (version, tasks, kinds.count("case_migrated")) == (2, ["受理办理"], 1)
    assert run(api, {"dry_run": True}).get_json()["items"] == []  # nothing older is left running


def test_a_batch_with_one_refusable_case_moves_the_others_and_names_its_reason(api, deploy):
    """A case waiting at 复核, which version 3 drops: is it alone refused, saying why in Chinese, while the other moves?"""
    deploy(drill_v1())
    plain = start_drill(api)
    deploy(drill_v2())
    at_review = start_drill(api)
    complete(api, open_task(api, at_review)["id"], "zhang.wei", {})
    assert deploy(drill()) == 3  # as version 1: no 复核
    body = run(api, {"dry_run": False}).get_json()
    assert (body["moved"], body["refused"]) == (1, 1)
    found = outcomes(body)
    assert found[plain["id"]] == ("moved", None)
    outcome, reason = found[at_review["id"]]
    assert outcome == "refused" and "复核" in reason and "不存在" in reason and "第 3 版" in reason
    assert state(api, plain)[0] == 3
    assert state(api, at_review)[:2] == (2, ["复核"])


def test_a_newly_required_field_the_case_lacks_is_refused_in_the_dry_run_and_the_move_alike(api, deploy):
    """Version 2 makes 办理 require 办理依据: do 预演 and 执行迁移 both refuse the case naming the field?"""
    deploy(drill_v1())
    case = start_drill(api)
    deploy(drill_v1().replace(FORM.encode(), REQUIRED.encode(), 1))
    dry, real = (run(api, {"cases": [case["id"]], "dry_run": flag}).get_json() for flag in (True, False))
    assert outcomes(dry) == outcomes(real)
    ((outcome, reason),) = outcomes(real).values()
    assert outcome == "refused" and "办理依据" in reason and "表单不兼容" in reason
    assert state(api, case)[0] == 1


def test_cases_named_that_are_not_running_or_already_on_the_version_are_refused_with_the_reason(api, deploy):
    """Listing a cancelled case and one already on version 2: is each refused saying so, not the whole call?"""
    deploy(drill_v1())
    cancelled = start_drill(api)
    api.post(f"/process-instances/{cancelled['id']}/cancel", "admin", {"reason": "测试"})
    deploy(drill_v2())
    current = start_drill(api)
    found = outcomes(run(api, {"cases": [cancelled["id"], current["id"]], "dry_run": True}).get_json())
    assert found[cancelled["id"]][0] == "refused" and "已撤销" in found[cancelled["id"]][1]
    assert found[current["id"]][0] == "refused" and "已在第 2 版" in found[current["id"]][1]


def test_only_administrators_migrate(api, deploy):
    """Can an officer move cases, or even rehearse it?"""
    deploy(drill_v1())
    start_drill(api)
    deploy(drill_v2())
    assert_problem(run(api, {"dry_run": True}, user="zhang.wei"), 403, "admin_only")
    assert_problem(
        api.post("/process-definitions/no_such_diagram/migrations", "admin", {"dry_run": True}),
        404,
        "not_found",
    )


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "dry_run", "invalid"),
        ({"dry_run": "yes"}, "dry_run", "invalid"),
        ({"dry_run": True, "to_version": 9}, "to_version", "version_not_found"),
        ({"dry_run": True, "to_version": "2"}, "to_version", "invalid"),
        ({"dry_run": True, "from_version": 2}, "from_version", "not_older"),
        ({"dry_run": True, "from_version": 7}, "from_version", "version_not_found"),
        ({"dry_run": True, "cases": "all"}, "cases", "invalid"),
        ({"dry_run": True, "cases": [0]}, "cases", "invalid"),
        ({"dry_run": True, "cases": [999999]}, "cases", "not_found"),
        ({"dry_run": True, "cases": list(range(1, 502))}, "cases", "too_many"),
    ],
)
def test_a_selection_that_cannot_be_read_is_a_422_naming_the_field(api, deploy, body, field, code):
    """Is a bad version, case list or dry_run refused as a whole, naming the field and saying why?"""
    deploy(drill_v1())
    deploy(drill_v2())
    problem = assert_problem(run(api, body), 422, "validation_failed", field)
    assert problem["errors"][0]["code"] == code


def test_a_step_taken_meanwhile_makes_that_case_refused_with_the_409s_message(api, app, deploy):
    """If 办公室 completes 办理 while the move works on the old copy of the case, is the case refused, not moved over the step?"""
    deploy(drill_v2())
    case = start_drill(api)
    deploy(drill(name="受理", pause="", after=TO_REVIEW))
    task = open_task(api, case)
    with app.app_context():
        stale = db.session.get(ProcessInstance, case["id"])  # the move has read the case ...
        assert stale.status == "running"
        result = []
        worker = threading.Thread(
            target=lambda: result.append(
                api.fresh().post(f"/tasks/{task['id']}/complete", "zhang.wei", {"data": {}}).status_code
            )
        )
        worker.start()
        worker.join()
        assert result == [200]
        admin = user_for_token(api.tokens["admin"])
        report = migrations.migrate_cases(admin, DRILL_KEY, cases=[case["id"]], dry_run=False)
    ((outcome, reason),) = outcomes({"items": [vars(i) for i in report.items]}).values()
    assert outcome == "refused" and "刚被其他人修改" in reason
    assert state(api, case)[:2] == (1, ["复核"])  # the step stands; the case stays on its version
