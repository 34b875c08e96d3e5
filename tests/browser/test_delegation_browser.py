"""委派 in a real browser (issue 11): 王芳 delegates 起草答复 to 吴敏 from its page, 吴敏 finds it in
her inbox marked 委派, fills the reply and hands it back, and 王芳 completes it from the prefilled
form; at desktop width, and 吴敏's page at 375 px."""

from __future__ import annotations

from tests.browser.conftest import fits, screenshot, signed_in
from tests.service.test_inbox_api import registered


def test_req2_wang_fang_delegates_the_draft_to_wu_min_who_hands_it_back(api, clock, open_page):
    """Mon 2 Mar 2026 09:00: 王芳 → 吴敏 with 请先整理目录; 吴敏 answers 予以公开 and 交回; 王芳 sees her note and the answer, and completes."""
    clock.set("2026-03-02T01:00:00+00:00")
    case = registered(api, "2026-03-02")
    wang = signed_in(open_page, "wang.fang", "/inbox")
    wang.locator("tr", has_text=case["tracking_number"]).get_by_role("link", name="起草答复").click()
    wang.wait_for_url("**/tasks/*")
    task_path = wang.url.split(wang.url.split("/tasks/")[0])[1]
    wang.get_by_text("委派本处室同事办理").click()  # the form opens from its summary line
    wang.get_by_label("受委派人").select_option(label="吴敏")
    wang.get_by_label("委派说明（选填）").fill("请先整理目录")
    wang.get_by_role("button", name="委派", exact=True).click()
    assert "已委派“起草答复”" in wang.locator(".flash").inner_text()
    assert "王芳已委派给吴敏办理" in wang.locator(".delegation").inner_text()
    assert wang.get_by_role("button", name="收回委派").is_visible()
    assert wang.get_by_role("button", name="办理完成").count() == 0

    wu = signed_in(open_page, "wu.min", "/inbox")
    row = wu.locator("tr", has_text=case["tracking_number"])
    assert "委派" in row.inner_text() and "王芳委派给您" in row.inner_text()
    row.get_by_role("link", name="起草答复").click()
    wu.wait_for_url("**/tasks/*")
    assert "王芳委派您办理此任务" in wu.locator(".delegation").inner_text()
    wu.get_by_label("办理方式").select_option(label="提交答复审核")
    wu.get_by_label("答复类型").select_option(label="予以公开")
    wu.get_by_label("答复内容").fill("所申请的目录见附件。")
    wu.get_by_label("交回说明").fill("年份已核对")
    screenshot(wu, "delegation-delegate-desktop")
    phone = signed_in(open_page, "wu.min", task_path, 375, 740)
    assert phone.get_by_role("button", name="办理完毕，交回委派人").is_visible()
    screenshot(phone, "delegation-delegate-375")
    assert fits(phone)
    wu.get_by_role("button", name="办理完毕，交回委派人").click()
    wu.wait_for_url("**/inbox")
    assert "已将“起草答复”交回王芳" in wu.locator(".flash").inner_text()

    wang.goto(task_path)
    assert "吴敏 已办理完毕交回" in wang.locator(".delegation-returned").inner_text()
    assert "年份已核对" in wang.locator(".delegation-returned").inner_text()
    assert wang.get_by_label("答复内容").input_value() == "所申请的目录见附件。"
    screenshot(wang, "delegation-returned-desktop")
    wang.get_by_role("button", name="办理完成").click()
    wang.wait_for_url("**/inbox")
    assert "成功办理“起草答复”" in wang.locator(".flash").inner_text()
