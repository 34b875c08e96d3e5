"""The 错敏 word list and the screening check as staff and administrators use them (PUB-9)."""

import csv
import threading

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from service.extensions import db
from service.models import ScreeningTerm
from service.services import screening
from service.services.screening_files import read_rows
from tests.db import restore_starter_terms

from .test_api_errors import assert_problem

NEW_TERM = {"text": "测试专用错敏词", "category": "测试", "severity": "serious", "suggestion": "正确说法"}
STARTER_COUNT = sum(1 for _ in csv.reader(screening.STARTER_LIST.open(encoding="utf-8"))) - 1


def made_up_id_number(body="11010519900307123"):
    remainder = 0
    for digit in body:
        remainder = (remainder + int(digit)) * 2 % 11
    return body + "0123456789X"[(12 - remainder) % 11]


@pytest.fixture(autouse=True)
def starter_list_restored(app):
    """Whatever a test adds, changes or removes, the next one starts with the starter list."""
    yield
    with app.app_context():
        restore_starter_terms()


def put(api, path, user, json):
    return api.call("PUT", path, user, json=json)


def delete(api, path, user):
    return api.call("DELETE", path, user)


def find(api, text, user="zhang.wei"):
    items = api.get(f"/screening/terms?q={text}", user).get_json()["items"]
    return [item for item in items if item["text"] == text]


def check(api, user="zhang.wei", **fields):
    response = api.post("/screening/check", user, {"fields": fields})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def import_file(app, path, *options):
    return app.test_cli_runner().invoke(args=["screening-import", str(path), *options])


def term_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ScreeningTerm))


def test_staff_read_the_starter_list_and_search_it(api):
    """Does an officer see the starter list, searchable by wording or category?"""
    page = api.get("/screening/terms?per_page=100", "zhang.wei").get_json()
    assert page["total"] == STARTER_COUNT >= 20
    (taiwan,) = find(api, "台湾政府")
    assert (taiwan["severity"], taiwan["severity_label"], taiwan["suggestion"]) == (
        "serious",
        "严重",
        "台湾当局",
    )
    typos = api.get("/screening/terms?q=错别字&per_page=100", "zhang.wei").get_json()
    assert typos["total"] >= 5 and {t["category"] for t in typos["items"]} == {"错别字"}
    assert api.get("/screening/terms?q=50%25_off", "zhang.wei").get_json()["total"] == 0
    assert_problem(api.get("/screening/terms?q=" + "字" * 101, "zhang.wei"), 400, "invalid_parameter", "q")
    assert_problem(api.get("/screening/terms"), 401, "unauthorized")


def test_an_administrator_adds_updates_and_deletes_a_term(api):
    """Can the administrator add a term, correct it with its version, and take it off again?"""
    added = api.post("/screening/terms", "admin", {**NEW_TERM, "text": "  测试专用错敏词 "})
    assert added.status_code == 201, added.get_json()
    term = added.get_json()
    assert (term["text"], term["version"], term["updated_by"]["username"]) == ("测试专用错敏词", 1, "admin")
    assert (term["note"], term["severity_label"]) == ("", "严重")
    changed = put(
        api, f"/screening/terms/{term['id']}", "admin", {**NEW_TERM, "severity": "一般", "version": 1}
    )
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["severity"], changed.get_json()["version"]) == ("minor", 2)
    assert find(api, "测试专用错敏词")[0]["severity"] == "minor"
    assert delete(api, f"/screening/terms/{term['id']}", "admin").status_code == 204
    assert find(api, "测试专用错敏词") == []
    assert_problem(delete(api, f"/screening/terms/{term['id']}", "admin"), 404, "term_not_found")


def test_officers_cannot_change_the_list(api):
    """Is an ordinary officer refused adding, changing or deleting a term?"""
    (taiwan,) = find(api, "台湾政府")
    assert_problem(api.post("/screening/terms", "zhang.wei", NEW_TERM), 403, "admin_only")
    update = {**NEW_TERM, "version": taiwan["version"]}
    assert_problem(put(api, f"/screening/terms/{taiwan['id']}", "zhang.wei", update), 403, "admin_only")
    assert_problem(delete(api, f"/screening/terms/{taiwan['id']}", "zhang.wei"), 403, "admin_only")
    assert find(api, "台湾政府") == [taiwan] and find(api, NEW_TERM["text"]) == []


def test_bad_terms_are_422_naming_each_field(api):
    """Does a term without wording or category, with an unknown severity or an overlong suggestion get a 422 naming each?"""
    bad = {"text": "  ", "severity": "fatal", "suggestion": "长" * 101, "note": 5}
    body = assert_problem(api.post("/screening/terms", "admin", bad), 422, "validation_failed", "text")
    assert {e["field"] for e in body["errors"]} == {"text", "category", "severity", "suggestion", "note"}
    assert "请填写“词语”" in body["title"]
    (taiwan,) = find(api, "台湾政府")
    no_version = put(api, f"/screening/terms/{taiwan['id']}", "admin", NEW_TERM)
    assert_problem(no_version, 422, "validation_failed", "version")
    taken = {**NEW_TERM, "text": "台湾政府"}
    assert_problem(api.post("/screening/terms", "admin", taken), 409, "term_exists", "text")
    assert_problem(
        put(api, "/screening/terms/999999", "admin", {**NEW_TERM, "version": 1}), 404, "term_not_found"
    )


def test_a_stale_version_is_409_and_changes_nothing(api):
    """If a colleague changed a term since I read it, is my change refused with 409?"""
    term = api.post("/screening/terms", "admin", NEW_TERM).get_json()
    path = f"/screening/terms/{term['id']}"
    assert put(api, path, "admin", {**NEW_TERM, "note": "第一次", "version": 1}).status_code == 200
    stale = put(api, path, "admin", {**NEW_TERM, "note": "第二次", "version": 1})
    assert_problem(stale, 409, "concurrent_modification")
    assert find(api, NEW_TERM["text"])[0]["note"] == "第一次"


def test_check_finds_a_term_added_a_moment_ago_and_forgets_a_deleted_one(api):
    """Does the check endpoint use a term as soon as it is added, and stop when it is deleted?"""
    draft = {"title": "通知", "body": f"据悉，{NEW_TERM['text']}出现在正文中。"}
    assert check(api, **draft)["hits"] == []  # the word list is now built and cached
    term = api.post("/screening/terms", "admin", NEW_TERM).get_json()
    result = check(api, **draft)
    assert result["blocked"] is True and result["serious"] == 1
    (hit,) = result["hits"]
    assert (hit["field"], hit["start"], hit["suggestion"]) == ("body", 3, "正确说法")
    delete(api, f"/screening/terms/{term['id']}", "admin")
    assert check(api, **draft)["hits"] == []


def test_check_reports_starter_terms_and_masks_personal_data(api):
    """Does a draft with a political misstatement, a typo and an ID number come back blocked, with the number masked?"""
    number = made_up_id_number()
    result = check(api, title="台湾政府回应", body=f"截止目前，当事人身份证号{number}已核实。")
    assert result["blocked"] is True and (result["serious"], result["minor"]) == (2, 1)
    # The test client sends JSON keys sorted, so body comes before title here.
    found = [(h["field"], h["detector"], h["severity"]) for h in result["hits"]]
    assert found == [
        ("body", "word_list", "minor"),
        ("body", "id_card", "serious"),
        ("title", "word_list", "serious"),
    ]
    id_hit = result["hits"][1]
    assert id_hit["text"] == "110105********" + number[14:]
    assert number[6:14] not in str(result)


def test_check_refuses_what_is_not_a_draft(api):
    """Are a missing fields object, non-text values, overlong text and too many fields refused with 422?"""
    assert_problem(api.post("/screening/check", "zhang.wei", {}), 422, "validation_failed", "fields")
    body = assert_problem(
        api.post("/screening/check", "zhang.wei", {"fields": {"title": 3, "body": "字" * 10_001}}),
        422,
        "validation_failed",
    )
    assert {e["field"] for e in body["errors"]} == {"fields.title", "fields.body"}
    many = {f"f{i}": "" for i in range(11)}
    assert_problem(
        api.post("/screening/check", "zhang.wei", {"fields": many}), 422, "validation_failed", "fields"
    )
    assert_problem(api.post("/screening/check", None, {"fields": {}}), 401, "unauthorized")


def write_csv(path, rows, header=("text", "category", "severity", "suggestion", "note")):
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return path


def test_a_csv_import_is_all_or_nothing_and_upserts_by_text(app, api, tmp_path):
    """Does one bad row refuse the whole CSV naming its row, and a good file add new terms and update known ones?"""
    rows = [("导入词甲", "测试", "minor", "", ""), ("导入词乙", "测试", "严重程度未知", "", "")]
    refused = import_file(app, write_csv(tmp_path / "bad.csv", rows))
    assert refused.exit_code != 0 and "第 3 行" in refused.output and "严重程度" in refused.output
    assert find(api, "导入词甲") == [] and term_count(app) == STARTER_COUNT
    rows = [("导入词甲", "测试", "minor", "", ""), ("台湾政府", "政治表述", "serious", "台湾当局", "已复核")]
    done = import_file(app, write_csv(tmp_path / "good.csv", rows))
    assert done.exit_code == 0, done.output
    assert done.output.strip() == "1 added, 1 updated, 0 unchanged, 0 removed"
    assert find(api, "台湾政府")[0]["note"] == "已复核" and find(api, "导入词甲")[0]["severity"] == "minor"
    again = import_file(app, tmp_path / "good.csv")
    assert again.output.strip() == "0 added, 0 updated, 2 unchanged, 0 removed"
    first_start = import_file(
        app, write_csv(tmp_path / "more.csv", [("导入词丙", "测试", "minor", "", "")]), "--if-empty"
    )
    assert "nothing imported" in first_start.output and find(api, "导入词丙") == []


def test_duplicate_rows_and_missing_columns_are_named(app, tmp_path):
    """Are a term listed twice and a header without the category column refused before anything is written?"""
    twice = [("导入词甲", "测试", "minor", "", ""), ("导入词甲", "测试", "serious", "", "")]
    result = import_file(app, write_csv(tmp_path / "twice.csv", twice))
    assert result.exit_code != 0 and "第 3 行" in result.output and "第 2 行重复" in result.output
    headless = import_file(app, write_csv(tmp_path / "cols.csv", [("导入词甲",)], header=("text",)))
    assert headless.exit_code != 0 and "类别" in headless.output
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("text,category,severity\n台湾政府,政治表述,serious\n".encode("gbk"))
    assert "UTF-8" in import_file(app, gbk).output
    assert term_count(app) == STARTER_COUNT


def build_xlsx(path, rows, header=("词语", "类别", "级别", "正确表述", "备注")):
    book = Workbook()
    sheet = book.active
    for row in (header, *rows):
        sheet.append(list(row))
    sheet.append([None] * len(header))  # Excel leaves blank rows at the end
    book.save(path)
    return path


def test_an_excel_list_from_a_higher_authority_imports_with_chinese_headings(app, api, tmp_path):
    """Can an .xlsx list with Chinese headings and 严重/一般 be imported, and a bad row refuse it whole?"""
    rows = [
        ("表格词甲", "过时表述", "一般", "新表述", ""),
        ("表格词乙", "政治表述", "严重", None, "上级通报"),
    ]
    done = import_file(app, build_xlsx(tmp_path / "list.xlsx", rows))
    assert done.exit_code == 0, done.output
    assert done.output.startswith("2 added")
    assert (
        find(api, "表格词乙")[0]["severity"] == "serious"
        and find(api, "表格词甲")[0]["suggestion"] == "新表述"
    )
    bad = [("表格词丙", "测试", "一般", "", ""), ("表格词丁", None, "一般", "", "")]
    refused = import_file(app, build_xlsx(tmp_path / "bad.xlsx", bad))
    assert refused.exit_code != 0 and "第 3 行" in refused.output and "类别" in refused.output
    assert find(api, "表格词丙") == []
    (tmp_path / "fake.xlsx").write_text("not a workbook")
    assert import_file(app, tmp_path / "fake.xlsx").exit_code != 0


def test_replace_removes_what_the_file_does_not_list_and_export_round_trips(app, api, tmp_path):
    """Does --replace leave exactly the file's terms, and does an exported list import again unchanged?"""
    exported = app.test_cli_runner().invoke(args=["screening-export", str(tmp_path / "list.csv")])
    assert exported.output.strip().startswith(f"{STARTER_COUNT} terms written")
    assert len(read_rows(tmp_path / "list.csv")) == STARTER_COUNT
    again = import_file(app, tmp_path / "list.csv", "--replace")
    assert again.output.strip() == f"0 added, 0 updated, {STARTER_COUNT} unchanged, 0 removed"
    rows = [("只留这一个", "测试", "minor", "", "")]
    replaced = import_file(app, write_csv(tmp_path / "one.csv", rows), "--replace")
    assert replaced.output.strip() == f"1 added, 0 updated, 0 unchanged, {STARTER_COUNT} removed"
    assert api.get("/screening/terms", "zhang.wei").get_json()["total"] == 1
    assert check(api, body="台湾政府")["hits"] == []


def test_a_change_from_another_process_shows_after_the_check_interval(app, monkeypatch):
    """When another process changes the table, does this one pick it up once its check interval has passed?"""
    with app.app_context():
        assert list(screening.current_word_list().find("别处新增词")) == []  # built and kept
        at = screening.now()
        db.session.add(
            ScreeningTerm(text="别处新增词", category="测试", severity="minor", created_at=at, updated_at=at)
        )
        db.session.commit()  # as another process would: this process's copy is not dropped
        assert list(screening.current_word_list().find("别处新增词")) == []
        monkeypatch.setattr(screening, "CHANGE_CHECK_SECONDS", 0.0)
        assert [t.text for _, _, t in screening.current_word_list().find("别处新增词")] == ["别处新增词"]


def test_seed_demo_loads_the_starter_list_once(app):
    """Does seed-demo leave a list that has terms alone?"""
    output = app.test_cli_runner().invoke(args=["seed-demo"]).output
    assert "0 people added, 0 screening terms loaded" in output
    assert term_count(app) == STARTER_COUNT


def _race(api, calls):
    """Run each (method, path, body) on a thread of its own, all released at once; the statuses."""
    gate = threading.Barrier(len(calls))
    statuses: list[int] = []

    def run(method, path, body):
        client = api.fresh()
        gate.wait()
        statuses.append(client.call(method, path, "admin", json=body).status_code)

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_simultaneous_changes_of_one_term_are_409_never_500(api):
    """Administrators adding, renaming and deleting one term at the same moment: does each get 2xx or 409, and the list stay whole?"""
    for _round in range(3):
        added = api.post("/screening/terms", "admin", NEW_TERM).get_json()
        path = f"/screening/terms/{added['id']}"
        renamed = {**NEW_TERM, "version": added["version"]}
        calls = [("PUT", path, {**renamed, "suggestion": f"说法{i}"}) for i in range(4)]
        calls += [("DELETE", path, None)] * 2 + [("POST", "/screening/terms", NEW_TERM)] * 2
        statuses = _race(api, calls)
        assert set(statuses) <= {200, 201, 204, 404, 409}, statuses
        assert statuses.count(200) + statuses.count(204) >= 1
        left = find(api, NEW_TERM["text"])
        assert len(left) <= 1
        for term in left:
            assert api.call("DELETE", f"/screening/terms/{term['id']}", "admin").status_code == 204
