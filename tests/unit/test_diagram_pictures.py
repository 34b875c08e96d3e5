"""Does the README show every diagram as a leader sees it (issue 10)?

The pictures are drawn by `make diagrams` (bpmn-js in chromium, scripts/render_diagrams.py) and
committed; this check needs no browser, so it runs in `make test` and CI.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STEMS = sorted(path.stem for path in (ROOT / "bpmn").glob("*.bpmn"))
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("stem", STEMS)
def test_every_diagram_has_its_picture_in_the_readme(stem):
    """Is there a drawn picture of the diagram, and does README "Diagrams" show it?"""
    picture = ROOT / "docs" / "diagrams" / f"{stem}.png"
    assert picture.read_bytes().startswith(PNG), picture
    assert picture.stat().st_size > 10_000, f"{picture} is too small to show a diagram"
    assert f"](docs/diagrams/{stem}.png)" in (ROOT / "README.md").read_text(encoding="utf-8")
