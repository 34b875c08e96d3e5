"""The difference between two deployed versions through the API (issue 12)."""

from __future__ import annotations

from tests.hostile_diagrams import KEY, scratch

from .test_deploy_api import RENAMED, deploy, scratch_rows  # noqa: F401  (fixture)


def test_the_difference_between_two_versions(api, scratch_rows):  # noqa: F811
    """Does the diff name the renamed task with its name before and after, and nothing else?"""
    deploy(api, scratch())
    deploy(api, RENAMED)
    diff = api.get(f"/process-definitions/{KEY}/diff?from=1&to=2", "admin")
    assert diff.status_code == 200, diff.get_json()
    body = diff.get_json()
    assert body["added"] == [] and body["removed"] == []
    (changed,) = body["changed"]
    assert (changed["element_id"], changed["type"]) == ("publish_survey", "userTask")
    assert changed["changes"] == [{"property": "name", "before": "发布征集调查", "after": "发布调查征集"}]
    back = api.get(f"/process-definitions/{KEY}/diff?from=2&to=1", "admin").get_json()
    assert back["changed"][0]["changes"][0]["after"] == "发布征集调查"


def test_a_diff_needs_two_existing_versions(api, scratch_rows):  # noqa: F811
    """Is a missing version number refused naming it (400), and an unknown version or diagram 404?"""
    deploy(api, scratch())
    missing = api.get(f"/process-definitions/{KEY}/diff?from=1", "admin")
    assert (missing.status_code, missing.get_json()["field"]) == (400, "to")
    bad = api.get(f"/process-definitions/{KEY}/diff?from=x&to=1", "admin")
    assert (bad.status_code, bad.get_json()["field"]) == (400, "from")
    assert api.get(f"/process-definitions/{KEY}/diff?from=1&to=9", "admin").status_code == 404
    assert api.get("/process-definitions/nothing/diff?from=1&to=2", "admin").status_code == 404
