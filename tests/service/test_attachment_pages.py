"""附件 on the task and case pages (issue 11; PUB-1, ORG-4): the list with uploader and time, the
upload form where one may act, removal of one's own, downloads, and every refusal in Chinese.

A disclosure request registered Mon 2 Mar 2026 09:00 waits at 起草答复 for 规划处 (王芳, 刘洋);
赵磊 oversees 规划处; 陈静 (法规处) has nothing to do with it.
"""

from __future__ import annotations

import io
import re

import pytest

from tests.service import flows
from tests.service.flows import open_task
from tests.service.pages import logged_in, page_text
from tests.service.test_attachments_api import BUDGET, CONTENT, attached, listed
from tests.service.test_disclosure_api import DISCLOSED
from tests.service.test_inbox_api import registered


@pytest.fixture
def drafting(api):
    case = registered(api, "2026-03-02")
    return case, open_task(api, case)


def send(pages, task_id: int, name: str | None = BUDGET, content: bytes = CONTENT):
    """Choose a file on the task page and press 上传 (name None: press it with no file chosen)."""
    data = {"file": (io.BytesIO(content), name)} if name is not None else {"file": (io.BytesIO(b""), "")}
    return pages.submit(
        f"/tasks/{task_id}", f"/tasks/{task_id}/attachments", data, content_type="multipart/form-data"
    )


def page_text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def panel(html: str) -> str:
    found = re.search(r'<section class="panel attachments".*?</section>', html, re.S)
    assert found, "the task page has no 附件 panel"
    return found.group(0)


def test_pub1_wang_fang_uploads_on_the_task_page_and_sees_it_listed_with_who_and_when(app, api, drafting):
    """王芳 chooses 关于2026年预算的请示.docx and presses 上传: back on the task with 已上传附件…, the file listed with its size, step, her name and the time, a 删除 button, a download link."""
    case, task = drafting
    wang = logged_in(app, "wang.fang")
    before = panel(wang.text(f"/tasks/{task['id']}"))
    assert "本案件尚无附件。" in before
    assert 'enctype="multipart/form-data"' in before and 'name="csrf_token"' in before
    assert 'accept=".pdf,.ofd,.doc,.docx,' in before
    assert "单个文件不超过 20 MB，每个案件最多 20 个" in page_text_of(before)
    assert '<label for="attachment-file">上传附件</label>' in before
    response = send(wang, task["id"])
    assert response.status_code == 303
    assert response.headers["Location"] == f"/tasks/{task['id']}#attachments"
    html = wang.text(f"/tasks/{task['id']}")
    assert f"已上传附件“{BUDGET}”" in page_text_of(html)
    (row,) = listed(api, case)
    text = page_text_of(panel(html))
    assert f"{BUDGET} 4 KB · 起草答复 · 王芳 · 2026-03-02 09:00 删除" in text
    assert f'href="/attachments/{row["id"]}"' in panel(html)
    assert f'aria-label="删除附件“{BUDGET}”"' in panel(html)
    download = wang.get(f"/attachments/{row['id']}")
    assert download.status_code == 200 and download.data == CONTENT
    assert download.headers["Content-Disposition"].startswith(
        'attachment; filename="attachment.docx"; filename*='
    )


def test_each_person_is_offered_only_what_they_may_do(app, api, drafting):
    """刘洋 (may act) gets the upload form but no 删除 for 王芳's file; 赵磊 (oversees, may not act) only the list; once the step is done, nobody gets either."""
    case, task = drafting
    attached(api, task["id"])
    liu = panel(logged_in(app, "liu.yang").text(f"/tasks/{task['id']}"))
    assert BUDGET in liu and "attachment-upload" in liu and "删除" not in liu
    zhao = panel(logged_in(app, "zhao.lei").text(f"/tasks/{task['id']}"))
    assert BUDGET in zhao and "attachment-upload" not in zhao and "删除" not in zhao
    flows.complete(api, task["id"], "wang.fang", DISCLOSED)
    done = panel(logged_in(app, "wang.fang").text(f"/tasks/{task['id']}"))
    assert BUDGET in done and "attachment-upload" not in done and "删除" not in done


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("页面.html", CONTENT, "不能上传“页面.html”：只能上传以下类型的文件：pdf、ofd、doc"),
        ("空白.pdf", b"", "“空白.pdf”是空文件"),
        (None, b"", "请选择要上传的文件"),
        ("扫描件.pdf", b"%" * (21 * 1024 * 1024), "附件不能超过 20 MB"),
    ],
)
def test_a_refused_file_is_said_in_chinese_on_the_task_page_and_nothing_is_listed(
    app, api, drafting, name, content, message
):
    """A web page, an empty file, no file at all and a 21 MB scan each come back to the task page with the reason in Chinese."""
    case, task = drafting
    wang = logged_in(app, "wang.fang")
    response = send(wang, task["id"], name, content)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert response.headers["Location"] == f"/tasks/{task['id']}#attachments"
    html = wang.text(f"/tasks/{task['id']}")
    assert '<p class="flash flash-error" role="status">' + message in html
    assert listed(api, case) == []


def test_wang_fang_removes_her_file_on_the_page_and_the_case_page_keeps_both_history_lines(
    app, api, drafting
):
    """王芳 presses 删除: 已删除附件…, the list is empty again; the case page lists no file and its history says 上传附件 and 删除附件 with the name."""
    case, task = drafting
    row = attached(api, task["id"])
    wang = logged_in(app, "wang.fang")
    response = wang.submit(f"/tasks/{task['id']}", f"/tasks/{task['id']}/attachments/{row['id']}/remove")
    assert response.status_code == 303
    html = wang.text(f"/tasks/{task['id']}")
    assert f"已删除附件“{BUDGET}”" in page_text_of(html) and "本案件尚无附件。" in panel(html)
    case_page = page_text(wang.get(f"/cases/{case['id']}"))
    assert "本案件没有附件。" in case_page
    assert f"王芳 上传附件 起草答复；{BUDGET}" in case_page
    assert f"王芳 删除附件 起草答复；{BUDGET}" in case_page
    assert wang.get(f"/attachments/{row['id']}").status_code == 404


def test_liu_yang_cannot_remove_wang_fangs_file_by_posting_the_form_himself(app, api, drafting):
    """刘洋 posts the removal form for 王芳's file (the page never offers it): 只能删除自己上传的附件, and it stays."""
    case, task = drafting
    row = attached(api, task["id"])
    liu = logged_in(app, "liu.yang")
    response = liu.submit(f"/tasks/{task['id']}", f"/tasks/{task['id']}/attachments/{row['id']}/remove")
    assert response.status_code == 303
    assert "只能删除自己上传的附件" in liu.text(f"/tasks/{task['id']}")
    assert len(listed(api, case)) == 1


def test_the_case_page_lists_every_file_with_step_uploader_and_time(app, api, drafting):
    """The case page's 附件 section lists the file with 起草答复 · 王芳 · 2026-03-02 09:00 and links to its download."""
    case, task = drafting
    row = attached(api, task["id"], name="附表.xlsx", content=b"PK" * 3000)
    html = logged_in(app, "zhang.wei").text(f"/cases/{case['id']}")
    section = re.search(r'<section class="case-section attachments".*?</section>', html, re.S).group(0)
    assert "附表.xlsx 6 KB · 起草答复 · 王芳 · 2026-03-02 09:00" in page_text_of(section)
    assert f'href="/attachments/{row["id"]}"' in section


def test_someone_else_finds_neither_the_file_nor_the_form(app, api, drafting):
    """陈静 (法规处) gets the not-found page for the download and for a hand-made upload, and nothing is stored."""
    case, task = drafting
    row = attached(api, task["id"])
    chen = logged_in(app, "chen.jing")
    download = chen.get(f"/attachments/{row['id']}")
    assert download.status_code == 404 and "附件不存在" in page_text(download)
    forged = chen.submit("/inbox", f"/tasks/{task['id']}/attachments", {"file": (io.BytesIO(b"x"), "a.pdf")})
    assert forged.status_code == 404 and "任务不存在" in page_text(forged)
    assert len(listed(api, case)) == 1


def test_an_upload_without_the_csrf_token_is_refused(app, api, drafting):
    """A form posted from another site (no CSRF token) uploads nothing."""
    case, task = drafting
    wang = logged_in(app, "wang.fang")
    response = wang.client.post(
        f"/tasks/{task['id']}/attachments",
        data={"file": (io.BytesIO(CONTENT), BUDGET)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert listed(api, case) == []


def test_a_name_with_markup_is_shown_as_text(app, api, drafting):
    """A file named R&D's <b>plan.pdf is listed as text: its characters escaped, no markup of its own."""
    case, task = drafting
    attached(api, task["id"], name="R&D's <b>plan.pdf")
    html = panel(logged_in(app, "wang.fang").text(f"/tasks/{task['id']}"))
    assert "R&amp;D&#39;s _b_plan.pdf" in html
    assert "<b>" not in html
