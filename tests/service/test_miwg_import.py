"""Diagrams drawn by other tools (the 21 BPMN MIWG reference models) through check and deploy (issue 12).

What happens to each is recorded in README.md ("Deploying and versions"): the check answers every
file with the problems that stop it (the editor shows them); the deploy refuses every one of them
with 422, naming the element where the file lets one be named, and stores nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_deploy_api import definition_count, scratch_rows  # noqa: F401  (fixture)

MIWG = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "miwg"
if not MIWG.is_dir():
    MIWG = Path("/work/shared/fixtures/miwg")
# file -> (the first problem's code, whether it names an element): the README's table.
EXPECTED = {
    "A.1.0": ("not_executable", True),
    "A.2.0": ("not_executable", True),
    "A.2.1": ("not_executable", True),
    "A.3.0": ("not_executable", True),
    "A.4.0": ("not_one_process", False),
    "A.4.1": ("not_one_process", False),
    "B.1.0": ("invalid_bpmn", False),
    "B.2.0": ("invalid_bpmn", False),
    "C.1.0": ("invalid_bpmn", True),
    "C.1.1": ("invalid_bpmn", False),
    "C.2.0": ("not_one_process", False),
    "C.3.0": ("invalid_bpmn", True),
    "C.4.0": ("invalid_bpmn", False),
    "C.5.0": ("invalid_bpmn", False),
    "C.6.0": ("invalid_bpmn", True),
    "C.7.0": ("invalid_bpmn", True),
    "C.8.0": ("not_executable", True),
    "C.8.1": ("invalid_bpmn", True),
    "C.9.0": ("invalid_bpmn", True),
    "C.9.1": ("no_lane", True),
    "C.9.2": ("invalid_bpmn", True),
}


def test_every_reference_model_is_listed():
    """Are all 21 reference models covered, and no other?"""
    assert sorted(path.stem for path in MIWG.glob("*.bpmn")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_reference_model_is_checked_then_refused_without_a_trace(app, api, scratch_rows, name):  # noqa: F811
    """Does the check list what stops a diagram another tool drew (in Chinese, naming the element
    where it can), and does its deploy answer 422 with the same problems and store nothing?"""
    xml = (MIWG / f"{name}.bpmn").read_text(encoding="utf-8")
    code, located = EXPECTED[name]
    checked = api.post("/process-definitions/check", "admin", {"xml": xml})
    assert checked.status_code == 200, checked.get_json()
    problems = checked.get_json()["problems"]
    assert problems[0]["code"] == code
    assert (problems[0]["element_id"] is not None) == located
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p["message"]) for p in problems)
    before = definition_count(app)
    deployed = api.post("/process-definitions", "admin", {"xml": xml})
    assert deployed.status_code == 422, deployed.get_json()
    assert deployed.get_json()["code"] == "invalid_diagram"
    where = [(p["code"], p["element_id"]) for p in problems]
    assert [(e["code"], e["element_id"]) for e in deployed.get_json()["errors"]] == where
    assert definition_count(app) == before


def test_a_model_not_marked_executable_is_checked_as_if_it_were(api):
    """Does the check of a diagram another tool left not executable go on to list what else it lacks
    (tasks in no lane, names not in Chinese), so the editor flags everything there is to add?"""
    xml = (MIWG / "A.1.0.bpmn").read_text(encoding="utf-8")
    problems = api.post("/process-definitions/check", "admin", {"xml": xml}).get_json()["problems"]
    codes = [p["code"] for p in problems]
    assert codes[0] == "not_executable"
    assert {"no_lane", "name_not_chinese"} <= set(codes[1:])
    tasks = {p["element_name"] for p in problems if p["code"] == "no_lane"}
    assert tasks == {"Task 1", "Task 2", "Task 3"}


def test_a_file_holding_several_processes_names_each_of_them(api):
    """Does a collaboration of several processes say how many there are and which, instead of only
    that one executable process is needed?"""
    xml = (MIWG / "A.4.0.bpmn").read_text(encoding="utf-8")
    problems = api.post("/process-definitions/check", "admin", {"xml": xml}).get_json()["problems"]
    assert [p["code"] for p in problems] == ["not_one_process"]
    assert "含 2 个流程" in problems[0]["message"] and "请各存为一个文件" in problems[0]["message"]
