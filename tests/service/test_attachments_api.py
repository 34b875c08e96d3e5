"""Attachments (附件) through the API (issue 11; PUB-1 counts attachments as part of an item; ORG-4
logs who added and removed what).

A disclosure request registered Mon 2 Mar 2026 waits at 起草答复 for 规划处 (王芳 information officer,
刘洋 section head); 赵磊 oversees 规划处 as leader in charge; 陈静 (法规处) has nothing to do with it.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from service.services.storage import LocalFileStore
from tests.conftest import Api
from tests.service import flows
from tests.service.flows import open_task
from tests.service.pages import csrf_token, logged_in
from tests.service.test_disclosure_api import DISCLOSED
from tests.service.test_inbox_api import registered

BUDGET = "关于2026年预算的请示.docx"
CONTENT = "附件正文：2026年度部门预算。".encode() * 100


def upload(api, task_id: int, user: str, name: str = BUDGET, content: bytes = CONTENT, **kwargs):
    """POST a file as multipart/form-data, field `file`."""
    return api.call(
        "POST",
        f"/tasks/{task_id}/attachments",
        user,
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        **kwargs,
    )


def attached(
    api, task_id: int, user: str = "wang.fang", name: str = BUDGET, content: bytes = CONTENT
) -> dict:
    response = upload(api, task_id, user, name, content)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def listed(api, case, user: str = "wang.fang") -> list[dict]:
    response = api.get(f"/process-instances/{case['id']}/attachments", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def stored_keys(app) -> set[str]:
    from service.services.storage import file_store

    with app.app_context():
        return set(file_store().keys())


@pytest.fixture
def drafting(api):
    """A registered request: 起草答复 is open for 规划处."""
    case = registered(api, "2026-03-02")
    return case, open_task(api, case)


def test_pub1_wang_fang_attaches_the_budget_at_her_draft_and_the_case_lists_it(api, drafting):
    """王芳 uploads 关于2026年预算的请示.docx at 起草答复: its name, type, size, checksum, step, uploader and time come back, 刘洋 sees it in the case's list, the history says 上传附件."""
    case, task = drafting
    row = attached(api, task["id"])
    assert row["filename"] == BUDGET
    assert row["content_type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert row["size"] == len(CONTENT) and row["sha256"] == hashlib.sha256(CONTENT).hexdigest()
    assert row["task"] == {"id": task["id"], "name": "起草答复"}
    assert row["uploaded_by"]["name"] == "王芳" and row["created_at"] == "2026-03-02T01:00:00+00:00"
    assert row["removable"] is True and row["content_url"] == f"/api/v1/attachments/{row['id']}/content"
    (seen,) = listed(api, case, "liu.yang")
    assert seen["id"] == row["id"] and seen["removable"] is False  # not his to remove
    history = flows.view(api, case)["history"]
    added = [h for h in history if h["kind"] == "attachment_added"]
    assert len(added) == 1 and added[0]["details"]["filename"] == BUDGET
    assert added[0]["actor"]["name"] == "王芳" and added[0]["task_id"] == task["id"]


def test_pub1_the_download_is_the_same_bytes_under_its_chinese_name_never_shown_inline(api, drafting):
    """Does 刘洋 download exactly the bytes 王芳 uploaded, as an attachment named in UTF-8 (RFC 5987), not sniffed?"""
    case, task = drafting
    row = attached(api, task["id"])
    response = api.get(row["content_url"].removeprefix("/api/v1"), "liu.yang")
    assert response.status_code == 200
    assert response.data == CONTENT
    assert response.headers["Content-Type"] == row["content_type"]
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"attachment.docx\"; filename*=UTF-8''"
        "%E5%85%B3%E4%BA%8E2026%E5%B9%B4%E9%A2%84%E7%AE%97%E7%9A%84%E8%AF%B7%E7%A4%BA.docx"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Length"] == str(len(CONTENT))


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../../etc/关于2026年预算的请示.docx", BUDGET),
        ("C:/Users/张伟/Desktop/报告.pdf", "报告.pdf"),
        ("a\u202eftp.pdf", "aftp.pdf"),  # a right-to-left override would show it reversed
        ("CON.pdf", "_CON.pdf"),
        ("  .会议纪要 <终稿>.PDF. ", "会议纪要 _终稿_.PDF"),
    ],
)
def test_a_path_or_a_trick_in_the_name_is_cleaned_and_chinese_stays(api, drafting, sent, kept):
    """Is a name with path parts, control characters, reserved names or characters Windows refuses kept only as a clean last part?"""
    _, task = drafting
    row = attached(api, task["id"], name=sent)
    assert row["filename"] == kept
    download = api.get(f"/attachments/{row['id']}/content", "wang.fang")
    assert download.headers["Content-Disposition"].startswith("attachment; ")
    assert "/" not in download.headers["Content-Disposition"].split("filename*=")[1].replace("%2F", "")


@pytest.mark.parametrize(
    "name", ["页面.html", "图标.svg", "脚本.js", "程序.exe", "没有扩展名", "archive.tar.gz"]
)
def test_a_type_outside_the_allow_list_is_refused_naming_the_field_and_nothing_is_stored(
    app, api, drafting, name
):
    """Is 页面.html (or .svg, .exe, no extension) refused with 422 naming `file`, leaving no row and no stored bytes?"""
    case, task = drafting
    before = stored_keys(app)
    response = upload(api, task["id"], "wang.fang", name=name)
    assert response.status_code == 422
    body = response.get_json()
    assert body["field"] == "file" and body["errors"][0]["code"] == "file_type_not_allowed"
    assert "pdf" in body["title"] and "docx" in body["title"]
    assert listed(api, case) == [] and stored_keys(app) == before


def test_no_file_or_an_empty_one_is_refused_naming_the_field(api, drafting):
    """A request without the field `file`, or with an empty file, is 422 naming `file`; a JSON body is 415."""
    _, task = drafting
    missing = api.call(
        "POST",
        f"/tasks/{task['id']}/attachments",
        "wang.fang",
        data={"other": "x"},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 422 and missing.get_json()["errors"][0] == {
        "field": "file",
        "code": "required",
        "message": "请选择要上传的文件",
    }
    empty = upload(api, task["id"], "wang.fang", content=b"")
    assert empty.status_code == 422 and empty.get_json()["errors"][0]["code"] == "file_empty"
    as_json = api.post(f"/tasks/{task['id']}/attachments", "wang.fang", {"file": "x"})
    assert as_json.status_code == 415 and as_json.headers["Content-Type"] == "application/problem+json"


def test_a_file_over_20_mb_is_413_naming_the_field_whether_the_body_or_the_file_is_too_big(
    app, api, drafting
):
    """Is a 30 MB upload refused before it is read, and a file just over 20 MB after, both 413 problem+json naming `file`, nothing stored?"""
    case, task = drafting
    before = stored_keys(app)
    for size in (30 * 1024 * 1024, 20 * 1024 * 1024 + 1):
        response = upload(api, task["id"], "wang.fang", name="扫描件.pdf", content=b"%" * size)
        assert response.status_code == 413, size
        assert response.headers["Content-Type"] == "application/problem+json"
        body = response.get_json()
        assert body["code"] == "file_too_large" and body["field"] == "file"
        assert body["title"] == "附件不能超过 20 MB"
    exactly = upload(api, task["id"], "wang.fang", name="扫描件.pdf", content=b"%" * (20 * 1024 * 1024))
    assert exactly.status_code == 201
    assert [a["filename"] for a in listed(api, case)] == ["扫描件.pdf"]
    assert len(stored_keys(app) - before) == 1
    other = api.post("/screening/check", "wang.fang", {"fields": {"x": "y" * (5 * 1024 * 1024)}})
    assert other.status_code == 413 and other.get_json()["code"] == "payload_too_large"  # others keep 4 MB


def test_another_department_finds_no_task_no_case_and_no_file(api, drafting):
    """陈静 (法规处) gets 404 uploading at 规划处's task, listing the case and downloading its file — never a hint that they exist."""
    case, task = drafting
    row = attached(api, task["id"])
    for response in (
        upload(api, task["id"], "chen.jing"),
        api.get(f"/process-instances/{case['id']}/attachments", "chen.jing"),
        api.get(f"/attachments/{row['id']}/content", "chen.jing"),
        api.call("DELETE", f"/attachments/{row['id']}", "chen.jing"),
    ):
        assert response.status_code == 404, response.get_json()
    assert upload(api, task["id"], "chen.jing").get_json()["code"] == "task_not_found"
    assert (
        api.get(f"/attachments/{row['id']}/content", "chen.jing").get_json()["code"] == "attachment_not_found"
    )
    assert api.get("/attachments/99999999/content", "wang.fang").status_code == 404


def test_who_sees_the_task_but_may_not_act_on_it_cannot_attach(api, drafting):
    """赵磊 oversees 规划处 and sees 起草答复, but it is not his to do: 403; he still reads the files."""
    case, task = drafting
    attached(api, task["id"])
    response = upload(api, task["id"], "zhao.lei")
    assert response.status_code == 403 and response.get_json()["code"] == "not_task_department"
    assert len(listed(api, case, "zhao.lei")) == 1


def test_a_task_claimed_by_a_colleague_or_already_done_takes_no_file(api, drafting):
    """Once 刘洋 claims 起草答复, 王芳 gets 409 task_claimed_by_other; once it is done, 409 task_not_open."""
    case, task = drafting
    assert api.post(f"/tasks/{task['id']}/claim", "liu.yang").status_code == 200
    claimed = upload(api, task["id"], "wang.fang")
    assert claimed.status_code == 409 and claimed.get_json()["code"] == "task_claimed_by_other"
    attached(api, task["id"], "liu.yang")
    flows.complete(api, task["id"], "liu.yang", DISCLOSED)
    done = upload(api, task["id"], "liu.yang")
    assert done.status_code == 409 and done.get_json()["code"] == "task_not_open"


def test_the_uploader_removes_her_file_while_the_step_is_open_and_the_history_keeps_both_lines(
    app, api, drafting
):
    """王芳 removes her file: 204, the list and the download no longer have it, its bytes are gone, the history says 上传附件 then 删除附件."""
    case, task = drafting
    row = attached(api, task["id"])
    other = attached(api, task["id"], name="附表.xlsx", content=b"PK\x03\x04table")
    assert len(stored_keys(app)) >= 2
    response = api.call("DELETE", f"/attachments/{row['id']}", "wang.fang")
    assert response.status_code == 204
    assert [a["id"] for a in listed(api, case)] == [other["id"]]
    assert api.get(f"/attachments/{row['id']}/content", "wang.fang").status_code == 404
    assert api.call("DELETE", f"/attachments/{row['id']}", "wang.fang").status_code == 404
    assert api.get(f"/attachments/{other['id']}/content", "wang.fang").data == b"PK\x03\x04table"
    kinds = [(h["kind"], h["details"].get("filename")) for h in flows.view(api, case)["history"]]
    assert kinds[-3:] == [
        ("attachment_added", BUDGET),
        ("attachment_added", "附表.xlsx"),
        ("attachment_removed", BUDGET),
    ]


def test_only_the_uploader_removes_and_only_while_the_step_is_open(api, drafting):
    """刘洋 may not remove 王芳's file (403 not_uploader); once the step is done nobody may (409 step_closed), an administrator neither."""
    case, task = drafting
    row = attached(api, task["id"])
    refused = api.call("DELETE", f"/attachments/{row['id']}", "liu.yang")
    assert refused.status_code == 403 and refused.get_json()["code"] == "not_uploader"
    flows.complete(api, task["id"], "wang.fang", DISCLOSED)
    for user in ("wang.fang", "admin"):
        closed = api.call("DELETE", f"/attachments/{row['id']}", user)
        assert closed.status_code == 409 and closed.get_json()["code"] == "step_closed"
    assert listed(api, case, "liu.yang")[0]["removable"] is False
    # The file stays with the case for the steps after it.
    assert api.get(f"/attachments/{row['id']}/content", "liu.yang").data == CONTENT


def test_a_case_holds_at_most_20_files_and_a_removed_one_frees_its_place(api, drafting):
    """The 21st file is 409 too_many_attachments; after one is removed, another fits."""
    case, task = drafting
    rows = [attached(api, task["id"], name=f"材料{n}.txt", content=b"x") for n in range(20)]
    full = upload(api, task["id"], "wang.fang", name="材料21.txt", content=b"x")
    assert full.status_code == 409 and full.get_json()["code"] == "too_many_attachments"
    assert "最多上传20个附件" in full.get_json()["title"]
    assert api.call("DELETE", f"/attachments/{rows[0]['id']}", "wang.fang").status_code == 204
    attached(api, task["id"], name="材料21.txt", content=b"x")
    assert len(listed(api, case)) == 20


def test_a_session_may_upload_only_with_the_pages_csrf_token_in_a_header(app, api, drafting):
    """A logged-in browser posting a file without X-CSRFToken (as another site's form would) is 403; with the token of a page, 201."""
    case, task = drafting
    wang = logged_in(app, "wang.fang")
    path = f"/api/v1/tasks/{task['id']}/attachments"
    bare = wang.client.post(
        path, data={"file": (io.BytesIO(b"x"), "a.txt")}, content_type="multipart/form-data"
    )
    assert bare.status_code == 403 and bare.get_json()["code"] == "csrf_check_failed"
    forged = wang.client.post(
        path,
        data={"file": (io.BytesIO(b"x"), "a.txt")},
        content_type="multipart/form-data",
        headers={"X-CSRFToken": "forged"},
    )
    assert forged.status_code == 403
    token = csrf_token(wang.text(f"/tasks/{task['id']}"))
    ok = wang.client.post(
        path,
        data={"file": (io.BytesIO(b"x"), "a.txt")},
        content_type="multipart/form-data",
        headers={"X-CSRFToken": token},
    )
    assert ok.status_code == 201 and listed(api, case)[0]["filename"] == "a.txt"


def test_stored_bytes_no_row_names_are_swept_and_named_ones_kept(app, api, drafting):
    """Bytes left by an upload that never committed (a crash) and a half-written file are deleted by files-sweep; an attachment's bytes stay."""
    from service.services.storage import file_store, new_key

    _, task = drafting
    row = attached(api, task["id"])
    with app.app_context():
        store = file_store()
        named = _key_of(row["id"])
        stray = new_key()
        store.put(stray, io.BytesIO(b"never committed"))
        partial = Path(store.root) / ".partial" / f"{new_key()}.dead"
        partial.write_bytes(b"half")
        young = new_key()
        store.put(young, io.BytesIO(b"an upload being committed right now"))
        old = os.path.getmtime(partial) - 7200
        for path in (Path(store.root) / stray[:2] / stray, Path(store.root) / named[:2] / named, partial):
            os.utime(path, (old, old))
    result = app.test_cli_runner().invoke(args=["files-sweep"])
    assert result.exit_code == 0, result.output
    assert "2 stray file(s) deleted" in result.output
    keys = stored_keys(app)
    assert stray not in keys and named in keys and young in keys and not partial.exists()
    assert api.get(f"/attachments/{row['id']}/content", "wang.fang").data == CONTENT
    with app.app_context():
        file_store().delete(young)


def _key_of(attachment_id: int) -> str:
    from service.extensions import db
    from service.models import Attachment

    return db.session.get(Attachment, attachment_id).storage_key


class CompletingStore(LocalFileStore):
    """The real local store, except that the moment the bytes are stored, `meanwhile` runs (as if
    someone clicked at that instant)."""

    def __init__(self, root, meanwhile):
        super().__init__(root)
        self.meanwhile = meanwhile

    def put(self, key, source):
        stored = super().put(key, source)
        self.meanwhile()
        return stored


def test_a_step_finished_while_the_file_was_stored_refuses_it_and_leaves_no_bytes(
    database_overrides, clock, sender, api, drafting, tmp_path
):
    """刘洋 completes 起草答复 while 王芳's file is being written: her upload is 409 task_not_open, no row names the file and its bytes are deleted."""
    from service import create_app

    case, task = drafting
    store = CompletingStore(tmp_path, lambda: flows.complete(api, task["id"], "liu.yang", DISCLOSED))
    racing = Api(
        create_app(database_overrides, clock=clock, sender=sender, files=store).test_client(), api.tokens
    )
    response = upload(racing, task["id"], "wang.fang")
    assert response.status_code == 409 and response.get_json()["code"] == "task_not_open"
    assert list(store.keys()) == [] and listed(api, case) == []
    assert not [h for h in flows.view(api, case)["history"] if h["kind"] == "attachment_added"]
