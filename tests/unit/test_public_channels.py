"""The public's ways in (issue 13): every channel's fields and steps exist in the diagram it starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflows.engine.parser import parse_definition
from workflows.public_channels import CHANNELS, DONE, IN_HAND

BPMN = Path(__file__).resolve().parents[2] / "bpmn"


@pytest.mark.parametrize("key", sorted(CHANNELS))
def test_req1_does_each_channel_name_only_fields_and_steps_its_diagram_has(key):
    """Are the fixed and omitted fields in the start form, each stage, reply and correction step a
    user task of the diagram, and the reply and correction fields in its forms?"""
    channel = CHANNELS[key]
    parsed = parse_definition((BPMN / f"{channel.process}.bpmn").read_bytes())
    start = {f.name for f in parsed.start_form.fields}
    assert set(channel.fixed) | set(channel.omit) <= start
    tasks = parsed.user_task_lanes
    assert set(channel.stages) <= set(tasks)
    every_field = {f.name for f in parsed.every_field().fields}
    for answer in channel.answers():
        assert set(answer.after) <= set(tasks) and set(answer.fields) <= every_field
        assert answer.when is None or answer.when[0] in every_field
    if channel.correction:
        c = channel.correction
        assert c.task in tasks and {c.items_field, c.due_field, c.text_field, *c.values} <= every_field


def test_req5_is_the_stage_said_in_plain_words():
    """Does the public read the first open step it has words for, 正在办理 for others, 已办结 at the end?"""
    channel = CHANNELS["disclosure"]
    assert channel.stage(["step_with_no_words"], False) == IN_HAND
    assert channel.stage(["await_correction"], False) == "待您补正申请内容"
    assert channel.stage([], True) == DONE
