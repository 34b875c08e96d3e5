"""管理 → 部门 / 人员 pages (ORG-2, ORG-6): an administrator runs the organisation in the browser."""

from __future__ import annotations

import re

from tests.service.flows import open_task
from tests.service.org_fixtures import audit_kinds
from tests.service.pages import Pages, logged_in, page_text
from tests.service.test_inbox_api import registered

NEW_QIAN = {"username": "qian.yu", "name": "钱宇", "membership": "planning:member"}


def test_org2_are_the_organisation_pages_the_administrators_alone(app):
    """Does a section head get 404 on every organisation page, and the admin index link to them?"""
    head = logged_in(app, "liu.yang")
    for path in ("/admin/people", "/admin/people/new", "/admin/people/wang.fang", "/admin/departments"):
        assert head.get(path).status_code == 404, path
    assert "人员" in page_text(logged_in(app, "admin").get("/admin"))


def test_org2_does_an_administrator_create_a_person_who_must_change_the_password(app, qian):
    """Is 钱宇 created in 规划处 with a password shown once, listed, and sent to 修改密码 at log-in?"""
    admin = logged_in(app, "admin")
    created = admin.submit("/admin/people/new", data=NEW_QIAN)
    assert created.status_code == 200
    text = page_text(created)
    assert "已新建人员钱宇" in text and "只显示这一次" in text
    password = re.search(r'class="one-time-password">([^<]+)<', created.get_data(as_text=True)).group(1)
    assert "钱宇" in page_text(admin.get("/admin/people?department=planning&active=1"))
    assert Pages(app).log_in("qian.yu", password).headers["Location"] == "/password"
    assert audit_kinds(app, "qian.yu") == ["person_created"]


def test_org2_is_a_taken_username_or_no_membership_named_beside_the_field(app, qian):
    """Does the form come back with 用户名已被使用 and 请至少选择一个部门 next to their fields?"""
    admin = logged_in(app, "admin")
    taken = admin.submit("/admin/people/new", data={**NEW_QIAN, "username": "wang.fang"})
    assert taken.status_code == 422 and "用户名“wang.fang”已被使用" in page_text(taken)
    none = admin.submit("/admin/people/new", data={"username": "qian.yu", "name": "钱宇"})
    assert none.status_code == 422 and "请至少选择一个部门及角色" in page_text(none)


def test_org2_does_the_person_page_change_memberships_and_oversight(app, qian):
    """Made 分管领导 overseeing 法规处 on 钱宇's page, is it saved and shown ticked?"""
    admin = logged_in(app, "admin")
    admin.submit("/admin/people/new", data=NEW_QIAN)
    data = {"name": "钱宇", "membership": "leadership:leader_in_charge", "oversees": "legal"}
    saved = admin.submit("/admin/people/qian.yu", data=data)
    assert saved.status_code == 302
    html = admin.get("/admin/people/qian.yu").get_data(as_text=True)
    assert re.search(r'value="legal" checked', html)
    assert re.search(r'value="leadership:leader_in_charge"[^>]*checked', html)
    refused = admin.submit("/admin/people/qian.yu", data={**data, "membership": "planning:member"})
    assert refused.status_code == 422 and "只有分管领导或主要领导可以分管部门" in page_text(refused)


def test_org2_org6_does_deactivating_wang_fang_show_the_hand_over_then_do_it(app, api, wang_fang_back):
    """Does her page list her claimed task, the confirm page say 将退回1个在办任务、收回0个委派, and after
    confirming is the task back in 规划处's queue and her account shown 已停用 with 恢复账号?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    api.post(f"/tasks/{task['id']}/claim", "wang.fang")
    admin = logged_in(app, "admin")
    person = page_text(admin.get("/admin/people/wang.fang"))
    assert "签收的在办任务（1）" in person and "起草答复" in person
    confirm = page_text(admin.get("/admin/people/wang.fang/deactivate"))
    assert "将退回1个在办任务、收回0个委派" in confirm
    done = admin.submit("/admin/people/wang.fang/deactivate")
    assert done.status_code == 302
    after = page_text(admin.get("/admin/people/wang.fang"))
    assert "已停用王芳" in after and "状态：已停用" in after and "恢复账号" in after
    assert api.get(f"/tasks/{task['id']}", "admin").get_json()["assignee"] is None


def test_org2_does_the_deactivation_page_warn_of_posts_nobody_else_would_hold(app):
    """Before 刘洋 (规划处's only 处室负责人) or 孙丽 (the only leader over 信访处, 法规处, 财务处) is
    deactivated, does the confirmation page name each post left empty, and say nothing for 王芳,
    whose post 吴敏 shares?"""
    admin = logged_in(app, "admin")
    head = page_text(admin.get("/admin/people/liu.yang/deactivate"))
    assert "再无在职人员担任" in head and "规划处·处室负责人" in head
    leader = page_text(admin.get("/admin/people/sun.li/deactivate"))
    for department in ("信访处", "法规处", "财务处"):
        assert f"{department}的分管领导" in leader
    assert "再无在职人员担任" not in page_text(admin.get("/admin/people/wang.fang/deactivate"))


def test_org2_does_the_departments_page_add_rename_and_refuse_duplicates(app, archive):
    """Is 档案室 added, renamed 档案馆, a second 规划处 refused beside its field, and references said?"""
    admin = logged_in(app, "admin")
    text = page_text(admin.get("/admin/departments"))
    assert "有引用，不可删除" in text
    added = admin.submit("/admin/departments", data={"code": "archive", "name": "档案室", "sort_order": "20"})
    assert added.status_code == 302 and "无引用" in page_text(admin.get("/admin/departments"))
    renamed = admin.submit(
        "/admin/departments", "/admin/departments/archive", data={"name": "档案馆", "sort_order": "20"}
    )
    assert renamed.status_code == 302 and "档案馆" in page_text(admin.get("/admin/departments"))
    dup = admin.submit("/admin/departments", data={"code": "planning2", "name": "规划处"})
    assert dup.status_code == 422 and "部门名称“规划处”已被使用" in page_text(dup)
