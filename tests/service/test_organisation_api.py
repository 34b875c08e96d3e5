"""Running the organisation through the API (ORG-2, ORG-6): departments, people, oversight and a
leaver's hand-over. Administrators only; every change is one audit entry.

The clock starts Mon 2 Mar 2026 09:00 Beijing; disclosure requests registered that day wait in 规划处
for 起草答复 (王芳, 吴敏 and 刘洋 may act on it).
"""

from __future__ import annotations

from tests.service import flows
from tests.service.flows import open_task
from tests.service.org_fixtures import audit_kinds
from tests.service.pages import Pages, logged_in
from tests.service.test_inbox_api import registered

QIAN = {
    "username": "qian.yu",
    "name": "钱宇",
    "memberships": [{"department": "planning", "role": "member"}],
}


def put(api, path: str, user: str, body: dict):
    return api.call("PUT", path, user, json=body)


def field_of(response) -> tuple[int, str | None, str]:
    body = response.get_json()
    return (
        response.status_code,
        body.get("field"),
        body["errors"][0]["code"] if body.get("errors") else body["code"],
    )


def test_org2_does_an_administrator_add_rename_and_reorder_a_department(app, api, archive):
    """Is a new 档案室 listed to everyone, renamed and moved, each change one audit entry?"""
    made = api.post("/departments", "admin", {"code": "archive", "name": "档案室", "sort_order": 20})
    assert made.status_code == 201
    assert made.get_json() == {"code": "archive", "name": "档案室", "is_leadership": False, "sort_order": 20}
    listed = api.get("/departments", "wang.fang").get_json()["items"]
    assert listed[-1] == {"code": "archive", "name": "档案室"}
    changed = put(api, "/departments/archive", "admin", {"name": "档案馆", "sort_order": 3})
    assert changed.status_code == 200 and changed.get_json()["name"] == "档案馆"
    names = [d["name"] for d in api.get("/departments", "admin").get_json()["items"]]
    assert names.index("保密室") < names.index("档案馆") < names.index("信访处")  # with the other 3
    assert audit_kinds(app, "archive") == ["department_created", "department_changed"]


def test_org2_are_duplicate_department_codes_and_names_refused_naming_the_field(api, archive):
    """Is a second 规划处 (by code or by name), a bad code or a second leadership refused with its field?"""
    assert field_of(api.post("/departments", "admin", {"code": "planning", "name": "新处"})) == (
        422,
        "code",
        "code_taken",
    )
    assert field_of(api.post("/departments", "admin", {"code": "archive", "name": "规划处"})) == (
        422,
        "name",
        "name_taken",
    )
    assert field_of(api.post("/departments", "admin", {"code": "Bad Code", "name": "甲"}))[1] == "code"
    leadership = {"code": "archive", "name": "档案室", "is_leadership": True}
    assert field_of(api.post("/departments", "admin", leadership))[1:] == (
        "is_leadership",
        "leadership_taken",
    )
    assert field_of(put(api, "/departments/office", "admin", {"name": "财务处"}))[1:] == (
        "name",
        "name_taken",
    )
    assert put(api, "/departments/nowhere", "admin", {"name": "甲"}).status_code == 404


def test_org2_is_the_organisation_the_administrators_alone(api):
    """Does a section head get 403 for each change and for the people list?"""
    assert api.post("/departments", "liu.yang", {"code": "archive", "name": "档案室"}).status_code == 403
    assert put(api, "/departments/planning", "liu.yang", {"name": "规划科"}).status_code == 403
    assert api.get("/users", "liu.yang").status_code == 403
    assert api.post("/users", "liu.yang", QIAN).status_code == 403
    assert api.get("/users/wang.fang", "liu.yang").status_code == 403
    assert api.post("/users/wang.fang/deactivate", "liu.yang").status_code == 403


def test_org2_does_a_new_person_get_an_initial_password_to_change_at_first_log_in(app, api, qian):
    """Is 钱宇 created in 规划处 with a one-time password that leads to 修改密码, and in the list?"""
    made = api.post("/users", "admin", QIAN)
    assert made.status_code == 201
    body = made.get_json()
    assert body["memberships"] == [{"department": "planning", "department_name": "规划处", "role": "member"}]
    assert body["must_change_password"] is True and len(body["initial_password"]) >= 10
    pages = Pages(app)
    assert pages.log_in("qian.yu", body["initial_password"]).headers["Location"] == "/password"
    planning = [
        u["username"] for u in api.get("/users?department=planning&active=1", "admin").get_json()["items"]
    ]
    assert "qian.yu" in planning and "zhang.wei" not in planning
    assert audit_kinds(app, "qian.yu") == ["person_created"]


def test_org2_are_bad_people_refused_naming_the_field(api, qian):
    """Is a taken username, a missing name, an unknown department or role, or a non-leader overseeing refused?"""
    assert field_of(api.post("/users", "admin", {**QIAN, "username": "wang.fang"}))[1:] == (
        "username",
        "username_taken",
    )
    assert field_of(api.post("/users", "admin", {**QIAN, "name": " "}))[1] == "name"
    nowhere = {**QIAN, "memberships": [{"department": "nowhere", "role": "member"}]}
    assert field_of(api.post("/users", "admin", nowhere))[1:] == ("memberships", "unknown_department")
    no_role = {**QIAN, "memberships": [{"department": "planning", "role": "boss"}]}
    assert field_of(api.post("/users", "admin", no_role))[1:] == ("memberships", "unknown_role")
    assert field_of(api.post("/users", "admin", {**QIAN, "memberships": []}))[1:] == (
        "memberships",
        "membership_required",
    )
    assert field_of(api.post("/users", "admin", {**QIAN, "oversees": ["legal"]}))[1:] == (
        "oversees",
        "not_a_leader",
    )
    assert api.get("/users/qian.yu", "admin").status_code == 404


def test_org2_does_a_changed_membership_and_oversight_decide_who_may_act(app, api, qian):
    """Moved to 法规处 as a leader overseeing 规划处, may 钱宇 see 规划处's queue, and is it audited?"""
    api.post("/users", "admin", QIAN)
    body = {
        "memberships": [{"department": "leadership", "role": "leader_in_charge"}],
        "oversees": ["planning", "legal"],
    }
    changed = put(api, "/users/qian.yu", "admin", body)
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["oversees"] == ["legal", "planning"]
    assert changed.get_json()["memberships"][0]["department"] == "leadership"
    detail = api.get("/users/qian.yu", "admin").get_json()
    assert detail["oversees"] == ["legal", "planning"] and detail["holds"]["claimed"] == []
    assert audit_kinds(app, "qian.yu") == ["person_created", "person_changed"]
    back = put(api, "/users/qian.yu", "admin", {"memberships": QIAN["memberships"]})
    assert field_of(back)[1:] == ("oversees", "not_a_leader")  # a member oversees nothing


def held_by_wang_fang(api):
    """王芳 holds three tasks: one claimed, one 刘洋 delegated to her, one she delegated to 吴敏;
    刘洋 holds a fourth."""
    cases = [registered(api, "2026-03-02", f"申请人{n}") for n in range(4)]
    tasks = [open_task(api, c) for c in cases]
    assert api.post(f"/tasks/{tasks[0]['id']}/claim", "wang.fang").status_code == 200
    assert api.post(f"/tasks/{tasks[1]['id']}/delegate", "liu.yang", {"to": "wang.fang"}).status_code == 200
    assert api.post(f"/tasks/{tasks[2]['id']}/delegate", "wang.fang", {"to": "wu.min"}).status_code == 200
    assert api.post(f"/tasks/{tasks[3]['id']}/claim", "liu.yang").status_code == 200
    return cases, tasks


def test_org2_org6_does_deactivating_wang_fang_hand_over_exactly_what_she_holds(app, api, wang_fang_back):
    """Dry run first, then: her claimed task back to 规划处's queue, 刘洋's delegation back to him, her
    delegation to 吴敏 now 吴敏's; 刘洋's own task untouched; history lines and one audit entry."""
    cases, tasks = held_by_wang_fang(api)
    detail = api.get("/users/wang.fang", "admin").get_json()["holds"]
    assert [[t["id"] for t in detail[k]] for k in ("claimed", "delegated_to", "delegated_by")] == [
        [tasks[0]["id"]],
        [tasks[1]["id"]],
        [tasks[2]["id"]],
    ]
    dry = api.post("/users/wang.fang/deactivate?dry_run=1", "admin")
    assert dry.status_code == 200
    assert dry.get_json()["summary"].startswith("将退回1个在办任务、收回1个委派")
    assert api.get(f"/tasks/{tasks[0]['id']}", "admin").get_json()["assignee"]["username"] == "wang.fang"
    assert audit_kinds(app, "wang.fang") == []

    done = api.post("/users/wang.fang/deactivate", "admin", {})
    assert done.status_code == 200
    assert {
        k: v for k, v in done.get_json().items() if k.endswith(("returned", "recalled", "passed_on"))
    } == {
        "tasks_returned": 1,
        "delegations_recalled": 1,
        "delegations_passed_on": 1,
    }
    now = [api.get(f"/tasks/{t['id']}", "admin").get_json() for t in tasks]
    assert now[0]["assignee"] is None and now[0]["delegate"] is None
    assert now[1]["assignee"]["username"] == "liu.yang" and now[1]["delegate"] is None
    assert now[2]["assignee"]["username"] == "wu.min" and now[2]["delegate"] is None
    assert now[3]["assignee"]["username"] == "liu.yang"
    for case in cases[:3]:
        (line,) = [e for e in flows.view(api, case)["history"] if e["kind"] == "task_handed_back"]
        assert line["details"]["reason"] == "人员停用" and line["actor"]["username"] == "admin"
    assert not [e for e in flows.view(api, cases[3])["history"] if e["kind"] == "task_handed_back"]
    assert audit_kinds(app, "wang.fang") == ["person_deactivated"]
    assert api.get("/users?active=0", "admin").get_json()["items"][0]["username"] == "wang.fang"


def test_org2_does_the_dry_run_name_the_posts_a_deactivation_would_leave_empty(api):
    """Does deactivating 刘洋 say 规划处 would have no 处室负责人 left, and 孙丽 that three departments
    would have no leader in charge, while 王芳 (吴敏 is 信息员 too) leaves nothing empty?"""

    def empty(username: str) -> list[str]:
        answer = api.post(f"/users/{username}/deactivate?dry_run=1", "admin")
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["left_unstaffed"]

    assert empty("liu.yang") == ["规划处·处室负责人"]
    assert empty("sun.li") == [f"{name}的分管领导" for name in sorted(["信访处", "法规处", "财务处"])]
    assert empty("wang.fang") == []
    assert api.get("/users/liu.yang", "admin").get_json()["active"] is True


def test_org2_do_the_deactivated_persons_session_and_tokens_stop_working(app, api, wang_fang_back):
    """Logged in and holding a token, is 王芳 shut out at once, and is deactivating twice a 409?"""
    pages = logged_in(app, "wang.fang")
    assert pages.get("/inbox").status_code == 200
    assert api.get("/tasks", "wang.fang").status_code == 200
    assert api.post("/users/wang.fang/deactivate", "admin").status_code == 200
    assert pages.get("/inbox").headers["Location"].startswith("/login")
    assert api.get("/tasks", "wang.fang").status_code == 401
    assert Pages(app).log_in("wang.fang").status_code == 401  # the log-in page again, refused
    again = api.post("/users/wang.fang/deactivate", "admin")
    assert again.status_code == 409 and again.get_json()["code"] == "user_inactive"
    assert api.post("/users/admin/deactivate", "admin").get_json()["code"] == "cannot_deactivate_self"


def test_org2_may_a_deactivated_person_come_back_with_a_new_password(app, api, wang_fang_back):
    """Reactivated, does 王芳 log in with the temporary password to 修改密码, her old session still over?"""
    old = logged_in(app, "wang.fang")
    api.post("/users/wang.fang/deactivate", "admin")
    back = api.post("/users/wang.fang/reactivate", "admin")
    assert back.status_code == 200
    assert old.get("/inbox").headers["Location"].startswith("/login")
    assert (
        Pages(app).log_in("wang.fang", back.get_json()["temporary_password"]).headers["Location"]
        == "/password"
    )
    assert api.post("/users/wang.fang/reactivate", "admin").get_json()["code"] == "user_active"
    assert audit_kinds(app, "wang.fang") == ["person_deactivated", "person_reactivated"]
