"""管理 → 错敏词库 (issue 12, PUB-9): the word list searched and paged, terms added, corrected and
removed, a file imported all or nothing, the list exported and 试检, as pages; administrators only."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook

from .pages import csrf_token, logged_in, page_text
from .test_screening_api import NEW_TERM, STARTER_COUNT, find, starter_list_restored  # noqa: F401

PAGE = "/admin/screening"


@pytest.fixture
def admin(app):
    return logged_in(app, "admin")


def upload(pages, name: str, data: bytes, replace: bool = False):
    form = {"file": (io.BytesIO(data), name), **({"replace": "yes"} if replace else {})}
    return pages.submit(PAGE, f"{PAGE}/import", form, content_type="multipart/form-data")


def csv_file(rows, header=("text", "category", "severity", "suggestion", "note")) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def test_pub9_the_list_is_searchable_and_paged(admin):
    """Does the page show the starter list 20 at a time with term, category, severity and suggestion,
    and find terms by wording or category?"""
    text = page_text(admin.get(PAGE))
    assert f"共 {STARTER_COUNT} 个词语" in text and "下一页" in text
    found = page_text(admin.get(f"{PAGE}?q=台湾政府"))
    assert "包含“台湾政府”的词语 1 个" in found and "台湾政府 政治表述 严重 台湾当局" in found
    typos = page_text(admin.get(f"{PAGE}?q=错别字"))
    assert "错别字" in typos and "政治表述" not in typos.split("试检")[0]
    assert "q 不能超过 100 个字" in page_text(admin.get(f"{PAGE}?q={'字' * 101}"))
    second = page_text(admin.get(f"{PAGE}?page=2"))
    assert "第 2 /" in second and "上一页" in second


def test_pub9_an_administrator_adds_corrects_and_deletes_a_term(admin, api):
    """Can the administrator add a term, correct its severity on its own page, and delete it, each
    said in a line, while the API reads the same list?"""
    added = admin.submit(PAGE, f"{PAGE}/terms", {**NEW_TERM, "note": ""})
    assert added.status_code == 302
    assert "已添加“测试专用错敏词”" in page_text(admin.get(added.headers["Location"]))
    (term,) = find(api, "测试专用错敏词")
    edit = f"{PAGE}/terms/{term['id']}"
    assert 'value="测试专用错敏词"' in admin.text(edit)
    saved = admin.submit(edit, data={**NEW_TERM, "severity": "minor", "version": str(term["version"])})
    assert saved.status_code == 302 and find(api, "测试专用错敏词")[0]["severity"] == "minor"
    admin.submit(PAGE, f"{edit}/delete")
    assert "已删除“测试专用错敏词”" in page_text(admin.get(PAGE)) and find(api, "测试专用错敏词") == []
    assert admin.get(edit).status_code == 404


def test_a_duplicate_or_incomplete_term_is_said_beside_its_field(admin):
    """Is a term already listed, or one without category or severity, refused beside each field with
    what was typed kept?"""
    taken = admin.submit(
        PAGE, f"{PAGE}/terms", {"text": "台湾政府", "category": "政治表述", "severity": "serious"}
    )
    assert taken.status_code == 409
    assert 'id="add-text-error">“台湾政府”已在词库中' in taken.get_data(as_text=True)
    empty = admin.submit(PAGE, f"{PAGE}/terms", {"text": "<i>新词</i>", "category": "", "severity": ""})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and 'id="add-category-error">请填写“类别”' in html
    assert 'id="add-severity-error">' in html and "&lt;i&gt;新词&lt;/i&gt;" in html and "<i>新词" not in html


def test_a_stale_edit_is_refused_and_changes_nothing(admin, api):
    """Is saving a term someone changed meanwhile refused in words, the other change kept?"""
    (term,) = find(api, "台湾政府")
    edit = f"{PAGE}/terms/{term['id']}"
    stale = admin.submit(
        edit, data={**NEW_TERM, "text": "台湾政府", "version": str(term["version"] - 1 or 99)}
    )
    assert stale.status_code == 409 and "该词语刚被其他人修改" in page_text(stale)
    assert find(api, "台湾政府")[0]["version"] == term["version"]


def test_pub9_an_import_with_a_bad_row_says_which_row_and_writes_nothing(admin, api):
    """Does a CSV with a bad severity on row 3 and a duplicate on row 4 say both rows, add nothing, and
    the corrected file then import with a summary in Chinese?"""
    rows = [
        ("导入词甲", "测试", "minor", "", ""),
        ("导入词乙", "测试", "很严重", "", ""),
        ("导入词甲", "测试", "minor", "", ""),
    ]
    refused = upload(admin, "list.csv", csv_file(rows))
    text = page_text(refused)
    assert refused.status_code == 422 and "导入失败，共 2 处错误" in text
    assert "第 3 行：“严重程度”只能是" in text and "第 4 行：“导入词甲”与第 2 行重复" in text
    assert find(api, "导入词甲") == []
    good = [("导入词甲", "测试", "minor", "", ""), ("台湾政府", "政治表述", "serious", "台湾当局", "已复核")]
    done = upload(admin, "list.csv", csv_file(good))
    assert done.status_code == 302
    assert "导入完成（list.csv）：新增 1 个，更新 1 个，未变 0 个" in page_text(admin.get(PAGE))
    assert find(api, "台湾政府")[0]["note"] == "已复核"


def test_pub9_an_excel_file_imports_and_other_files_are_refused_beside_the_field(admin, api):
    """Does an .xlsx list with Chinese headings import, and are a missing file, a .txt, a GBK CSV and a
    file over the limit refused beside 文件?"""
    book, out = Workbook(), io.BytesIO()
    for row in (("词语", "类别", "级别"), ("导入词丙", "测试", "一般")):
        book.active.append(list(row))
    book.save(out)
    assert upload(admin, "上级下发.xlsx", out.getvalue()).status_code == 302
    assert find(api, "导入词丙")[0]["severity"] == "minor"
    none = admin.submit(PAGE, f"{PAGE}/import", {}, content_type="multipart/form-data")
    assert none.status_code == 422 and 'id="import-file-error"' in none.get_data(as_text=True)
    assert "只能导入 .csv 或 .xlsx 文件" in page_text(upload(admin, "list.txt", b"text"))
    gbk = "text,category,severity\n台湾政府,政治表述,serious\n".encode("gbk")
    assert "不是 UTF-8 编码" in page_text(upload(admin, "gbk.csv", gbk))
    big = upload(admin, "big.csv", csv_file([]) + b"#" * (2 * 1024 * 1024))
    assert big.status_code == 413 and "文件不能超过 2 MB" in page_text(big)


def test_pub9_the_export_downloads_a_csv_the_import_reads_back(admin, api):
    """Is the export a UTF-8 CSV with every term, which imported again changes nothing, and does
    replace remove what the file leaves out?"""
    exported = admin.get(f"{PAGE}/export")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    data = exported.get_data()
    assert (
        data.startswith("\ufeff".encode()) and len(data.decode("utf-8-sig").splitlines()) == STARTER_COUNT + 1
    )
    assert upload(admin, "export.csv", data).status_code == 302
    assert f"未变 {STARTER_COUNT} 个" in page_text(admin.get(PAGE))
    upload(admin, "one.csv", csv_file([("台湾政府", "政治表述", "serious", "台湾当局", "")]), replace=True)
    text = page_text(admin.get(PAGE))
    assert f"删除 {STARTER_COUNT - 1} 个" in text and "共 1 个词语" in text


def test_pub9_the_trial_check_reports_hits_in_words(admin):
    """Does 试检 on pasted text name each hit with its severity and suggestion, say it cannot be
    published, and mask a personal number; and does empty text get a message beside the box?"""
    sent = admin.submit(PAGE, f"{PAGE}/check", {"text": "关于台湾政府的说明，联系电话 13800138000"})
    text = page_text(sent)
    assert (
        sent.status_code == 200
        and "不能发布" in text
        and "严重 “台湾政府”（政治表述），建议改为“台湾当局”" in text
    )
    assert "138****8000" in text and text.count("13800138000") == 1  # in the box, masked in the hits
    assert "未发现错敏问题" in page_text(admin.submit(PAGE, f"{PAGE}/check", {"text": "今天天气很好"}))
    empty = admin.submit(PAGE, f"{PAGE}/check", {"text": " "})
    assert empty.status_code == 422 and 'id="check-text-error">请粘贴要检查的文字' in empty.get_data(
        as_text=True
    )


def test_others_get_404_and_a_form_without_its_token_is_refused(app, admin, api):
    """Does anyone but an administrator get 404 on every word-list page and form, and is a POST
    without the CSRF token refused and nothing added?"""
    officer = logged_in(app, "zhang.wei")
    (term,) = find(api, "台湾政府")
    for path in (PAGE, f"{PAGE}/export", f"{PAGE}/terms/{term['id']}"):
        assert officer.get(path).status_code == 404
    token = csrf_token(officer.text("/inbox"))
    for path in (
        f"{PAGE}/terms",
        f"{PAGE}/terms/{term['id']}",
        f"{PAGE}/terms/{term['id']}/delete",
        f"{PAGE}/import",
        f"{PAGE}/check",
    ):
        assert officer.client.post(path, data={"csrf_token": token, **NEW_TERM}).status_code == 404
    forged = admin.client.post(f"{PAGE}/terms", data=NEW_TERM)
    assert forged.status_code == 400 and find(api, "测试专用错敏词") == []
    assert find(api, "台湾政府")[0]["version"] == term["version"]
    assert "错敏词库" in page_text(admin.get("/admin"))


def test_pub9_is_a_file_over_the_request_limit_refused_in_chinese_with_the_way_back(admin, app):
    """A list over the whole request limit (4 MB) is refused before it is read: does the page say so
    in Chinese and link back to the word list, rather than the server's English 413 page?"""
    limit = app.config["MAX_CONTENT_LENGTH"]
    html = admin.client.get(PAGE).get_data(as_text=True)
    form = {"csrf_token": csrf_token(html), "file": (io.BytesIO(b"#" * (limit + 1)), "huge.csv")}
    huge = admin.client.post(
        f"{PAGE}/import",
        data=form,
        content_type="multipart/form-data",
        headers={"Referer": f"http://localhost{PAGE}"},
    )
    assert huge.status_code == 413
    text = page_text(huge)
    assert "提交的内容超过 4 MB，未保存任何内容" in text and "Request Entity Too Large" not in text
    assert f'href="http://localhost{PAGE}"' in huge.get_data(as_text=True)
