"""管理 → 流程图 pages (issue 12): diagrams, versions, the difference; administrators only."""

from __future__ import annotations

from tests.hostile_diagrams import KEY, scratch

from .pages import logged_in, page_text
from .test_deploy_api import RENAMED, deploy, scratch_rows  # noqa: F401  (fixture)


def test_admin_finds_diagrams_versions_and_a_difference(app, api, scratch_rows):  # noqa: F811
    """Does an administrator reach 管理 → 流程图 → a diagram's versions (who, why, running cases) → the
    difference between two versions in Chinese?"""
    deploy(api, scratch(), comment="首次部署")
    deploy(api, RENAMED, comment="<b>改名</b>")
    pages = logged_in(app, "admin")
    assert 'href="/admin"' in pages.text("/inbox")
    assert "流程图" in page_text(pages.get("/admin"))
    listing = page_text(pages.get("/admin/diagrams"))
    assert KEY in listing and "第 2 版" in listing and "新建流程图" in listing
    versions = pages.text(f"/admin/diagrams/{KEY}")
    assert "&lt;b&gt;改名&lt;/b&gt;" in versions and "<b>改名" not in versions
    assert f'href="/admin/diagrams/{KEY}/edit"' in versions
    assert "首次部署" in page_text(pages.get(f"/admin/diagrams/{KEY}"))
    diff = page_text(pages.get(f"/admin/diagrams/{KEY}/diff?from=1&to=2"))
    assert "修改" in diff and "用户任务“发布调查征集”" in diff
    assert "名称 发布征集调查 发布调查征集" in diff
    same = page_text(pages.get(f"/admin/diagrams/{KEY}/diff?from=2&to=2"))
    assert "没有差异" in same


def test_others_do_not_see_the_admin_pages(app, api, scratch_rows):  # noqa: F811
    """Does anyone but an administrator get 404 on every admin page, and no 管理 link?"""
    deploy(api, scratch())
    pages = logged_in(app, "li.na")
    assert 'href="/admin"' not in pages.text("/inbox")
    for path in ("/admin", "/admin/diagrams", f"/admin/diagrams/{KEY}", f"/admin/diagrams/{KEY}/diff"):
        assert pages.get(path).status_code == 404


def test_an_unknown_diagram_or_version_is_404(app, api, scratch_rows):  # noqa: F811
    """Is a diagram or version that does not exist a 404 page?"""
    deploy(api, scratch())
    pages = logged_in(app, "admin")
    assert pages.get("/admin/diagrams/nothing_here").status_code == 404
    assert pages.get(f"/admin/diagrams/{KEY}/diff?from=1&to=7").status_code == 404
