"""管理 → 流程图 in a real browser (issue 12): the administrator finds a diagram's two versions, who
deployed them and why, and reads the difference between them in Chinese."""

from __future__ import annotations

from tests.browser.conftest import screenshot, signed_in
from tests.hostile_diagrams import KEY, scratch
from tests.service.test_deploy_api import RENAMED, deploy, scratch_rows  # noqa: F401  (fixture)


def test_the_administrator_compares_two_versions_of_a_diagram(api, open_page, scratch_rows):  # noqa: F811
    """Does 管理 lead to the diagram, its versions with their comments, and 比较 to the renamed task?"""
    deploy(api, scratch(), comment="首次部署")
    deploy(api, RENAMED, comment="任务改名")
    page = signed_in(open_page, "admin", "/inbox")
    page.get_by_role("link", name="管理").click()
    page.get_by_role("link", name="流程图").first.click()
    page.locator(f'a[href="/admin/diagrams/{KEY}"]').first.click()
    assert "任务改名" in page.locator("main").inner_text()
    page.get_by_label("从").select_option(label="第 1 版")
    page.get_by_label("到").select_option(label="第 2 版")
    page.get_by_role("button", name="比较").click()
    page.wait_for_url("**/diff?*")
    text = page.locator("main").inner_text()
    assert "修改" in text and "发布调查征集" in text and "发布征集调查" in text
    screenshot(page, "admin-diagram-diff")
