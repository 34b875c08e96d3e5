"""迁移运行中的案件 in a real browser (issue 12), on a phone-sized window: a case started on version 1
goes on there after a changed version is deployed, 预演 lists it, 执行迁移 moves it."""

from __future__ import annotations

from tests.browser.conftest import screenshot, signed_in
from tests.service.flows import view
from tests.service.test_case_migration import DRILL_KEY, deploy, drill_v1, drill_v2, start_drill  # noqa: F401


def test_the_administrator_rehearses_then_moves_a_running_case(api, open_page, deploy):  # noqa: F811
    """Does the case on version 1 show in 预演 as movable with its renamed task, and does 执行迁移 move it?"""
    deploy(drill_v1())
    case = start_drill(api)
    deployed = api.post("/process-definitions", "admin", {"xml": drill_v2().decode(), "comment": "增加复核"})
    assert deployed.status_code == 201, deployed.get_json()
    assert view(api, case)["process"]["version"] == 1  # the case goes on on its own version
    page = signed_in(open_page, "admin", f"/admin/diagrams/{DRILL_KEY}", 375, 800)
    page.get_by_label("第 1 版（1 件运行中）").check()
    page.get_by_label("迁移到").select_option(label="第 2 版（最新）")
    page.get_by_role("button", name="预演").click()
    page.wait_for_url("**/migrations")
    text = page.locator("main").inner_text()
    assert "迁移预演" in text and case["tracking_number"] in text and "可以迁移" in text
    assert "改名：办理 → 受理办理" in text
    assert view(api, case)["process"]["version"] == 1
    screenshot(page, "migration-preview")
    page.get_by_role("button", name="执行迁移").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "迁移结果" in text and "已迁移 1 件" in text
    screenshot(page, "migration-done")
    assert view(api, case)["process"]["version"] == 2
