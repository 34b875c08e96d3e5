"""管理 → 定期工作 and a duty's case as staff see it (REC-1..6, NAT-4): the active profile's duties
with their next occurrence, read-only, for administrators; the duty's title in the inbox and on its task."""

from __future__ import annotations

import pytest

from tests.service.test_duties import opened, sweep

from .pages import logged_in, page_text


@pytest.fixture(scope="session")
def hainan(api_for_profile):
    return api_for_profile("hainan-sasac")


def test_rec_the_admin_page_lists_each_duty_with_its_next_occurrence(hainan, clock):
    """Does 定期工作 under hainan-sasac list each duty with its department, schedule, the window open
    today or next, rule IDs and article, mark a department the organisation lacks, and say 已发起 once
    the sweep opened it (REC-1, REC-2, REC-3, REC-5, NAT-4, STAT-3)?"""
    admin = logged_in(hainan.client.application, "admin")
    assert "定期工作" in admin.text("/admin") and "/admin/duties" in admin.text("/admin")
    text = page_text(admin.get("/admin/duties"))
    assert "海南省政府国有资产监督管理委员会" in text
    assert (
        "开展在线访谈 党群处 （组织机构中没有此处室，不会发起） 每年3次（每4个月一次） 2026-01-01 发起，2026-04-30 前完成"
        in text
    )
    assert (
        "更新网站后台发布密钥（双人保管） 信息中心 每半个月（每月1日、16日起） 2026-03-01 发起，2026-03-15 前完成 待发起 REC-3 000 §23"
        in text
    )
    assert (
        "每周汇总发布政务公开信息 办公室 每周（周一起，周五前完成） 2026-03-02 发起，2026-03-06 前完成 待发起"
        in text
    )
    assert (
        "编制发布政府信息公开工作年度报告 办公室 每年1月1日起，1月31日前完成 2027-01-01 发起，2027-01-31 前完成 未到期 NAT-4, STAT-3"
        in text
    )

    sweep(hainan, clock, "2026-03-02")
    assert set(opened(hainan)) == {
        "key_change:2026-03-1",
        "disclosure_batch:2026-W10",
        "risk_assessment:2026",
        "enterprise_window:2026",
    }
    text = page_text(admin.get("/admin/duties"))
    assert "2026-03-15 前完成 已发起 REC-3" in text


def test_rec_the_duty_page_is_for_administrators_only(app):
    """Does anyone but an administrator get 404 on 定期工作?"""
    assert logged_in(app, "li.na").get("/admin/duties").status_code == 404
    assert "当前规则配置没有定期工作" not in page_text(logged_in(app, "admin").get("/admin/duties"))


def test_rec_the_duty_shows_its_title_in_the_inbox_and_on_its_task_page(hainan, clock):
    """Does 信息中心's inbox name the key change by its title, and its task page show the title, the
    rule, the due day and the form to record it (REC-3)?"""
    sweep(hainan, clock, "2026-03-02")
    centre = logged_in(hainan.client.application, "xu.ming")
    inbox = page_text(centre.get("/inbox"))
    assert "更新网站后台发布密钥（双人保管）" in inbox and "办理并记录定期工作" in inbox
    key_change = opened(hainan)["key_change:2026-03-1"]
    tasks = hainan.get("/tasks?scope=actionable", "xu.ming").get_json()["items"]
    (task,) = [t for t in tasks if t["instance"]["id"] == key_change]
    text = page_text(centre.get(f"/tasks/{task['id']}"))
    assert "更新网站后台发布密钥（双人保管）" in text and "REC-3" in text and "2026-03-15" in text
    assert "完成日期" in text and "完成情况记录" in text


def test_rec_nobody_starts_a_duty_by_hand(app, api):
    """Is 定期工作 left off 发起 for staff and administrators alike, and a start through the API
    refused, since only the service opens duties on their schedule (REC)?"""
    for user in ("zhang.wei", "xu.ming", "admin"):
        assert "定期工作" not in page_text(logged_in(app, user).get("/start"))
    refused = api.post("/process-definitions/recurring_duty/instances", "xu.ming", {"data": {}})
    assert refused.status_code == 403
