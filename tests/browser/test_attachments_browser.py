"""附件 in a real browser (issue 11, PUB-1): 王芳 attaches a file to 起草答复 on the task page, downloads
it again under its Chinese name, and 刘洋 finds it on the case page; at desktop width and at 375 px.
A missing or oversized file comes back with the reason in Chinese."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import fits, screenshot, signed_in
from tests.service.flows import open_task
from tests.service.test_inbox_api import registered

NAME = "关于2026年建设用地规划许可证目录的说明.pdf"
CONTENT = b"%PDF-1.4\n" + "规划许可证目录".encode() * 400


def test_pub1_wang_fang_uploads_a_file_on_her_task_and_downloads_it_under_its_chinese_name(
    api, open_page, tmp_path
):
    """王芳 chooses the PDF, presses 上传, sees it listed with her name and the time, downloads the same bytes; 刘洋 sees it on the case page."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    page = signed_in(open_page, "wang.fang", f"/tasks/{task['id']}")
    panel = page.locator("section.attachments")
    assert "本案件尚无附件。" in panel.inner_text()
    upload = panel.get_by_role("button", name="上传", exact=True)
    upload.click()  # nothing chosen
    page.wait_for_url(f"**/tasks/{task['id']}#attachments")
    assert page.locator(".flash").inner_text() == "请选择要上传的文件"
    # Over the limit: refused before the server reads the body, and still said in Chinese.
    page.get_by_label("上传附件").set_input_files(
        {"name": "扫描件.pdf", "mimeType": "application/pdf", "buffer": b"%" * (25 * 1024 * 1024)},
        timeout=60_000,  # 25 MB through the driver: slow on a loaded 2-core machine, not a page fault
    )
    upload.click()
    expect(page.locator(".flash")).to_have_text("附件不能超过 20 MB")
    screenshot(page, "attachments-too-large")
    assert "本案件尚无附件。" in panel.inner_text()
    page.get_by_label("上传附件").set_input_files(
        {"name": NAME, "mimeType": "application/pdf", "buffer": CONTENT}
    )
    upload.click()
    page.wait_for_url(f"**/tasks/{task['id']}#attachments")
    assert f"已上传附件“{NAME}”" in page.locator(".flash").inner_text()
    row = panel.locator("li.attachment")
    assert NAME in row.inner_text() and "起草答复 · 王芳 · 2026-03-02 09:00" in row.inner_text()
    assert row.get_by_role("button", name=f"删除附件“{NAME}”").is_visible()
    screenshot(page, "attachments-task")

    with page.expect_download() as caught:
        row.get_by_role("link", name=NAME).click()
    download = caught.value
    assert download.suggested_filename == NAME
    saved = tmp_path / "saved.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == CONTENT

    phone = signed_in(open_page, "liu.yang", f"/cases/{case['id']}", 375, 740)
    listed = phone.locator("section.attachments")
    assert NAME in listed.inner_text() and "王芳" in listed.inner_text()
    listed.scroll_into_view_if_needed()
    screenshot(phone, "attachments-case-375")
    assert fits(phone)
