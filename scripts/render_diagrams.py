"""Draw each diagram in bpmn/ as a PNG for the README: `make diagrams` (docs/diagrams/<stem>.png).

The pictures come from the bpmn-js viewer (bundled by `make viewer` into service/web/static/build/)
in Debian's chromium, driven by Playwright for Python. The browser is the system's
(`shutil.which("chromium")`); Playwright's own browser download is never used. The page keeps the
bpmn.io logo bpmn-js draws (its licence asks for it).

    python scripts/render_diagrams.py                 # every bpmn/*.bpmn
    python scripts/render_diagrams.py bpmn/survey.bpmn --out /tmp/pictures
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tools" / "viewer" / "page.html"
BUNDLE = ROOT / "service" / "web" / "static" / "build" / "viewer.js"
MARGIN = 40  # px of white around the drawing
MIN_BYTES = 10_000  # a PNG smaller than this holds no diagram worth the name


def render(paths: list[Path], out: Path) -> list[Path]:
    """Draw each diagram to out/<stem>.png; the files written."""
    from playwright.sync_api import sync_playwright

    if not BUNDLE.exists():
        raise SystemExit(f"{BUNDLE.relative_to(ROOT)} is missing: run `make viewer` first")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed: `apt-get install -y chromium fonts-wqy-microhei`")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        try:
            for path in paths:
                written.append(_draw(browser, path, out / f"{path.stem}.png"))
        finally:
            browser.close()
    return written


def _draw(browser, path: Path, target: Path) -> Path:
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    try:
        page.goto(PAGE.as_uri())
        size = page.evaluate("xml => showDiagram(xml, 'canvas')", path.read_text(encoding="utf-8"))
        for warning in size["warnings"]:
            print(f"{path.name}: bpmn-js: {warning}", file=sys.stderr)
        page.set_viewport_size(
            {"width": int(size["width"]) + 2 * MARGIN, "height": int(size["height"]) + 2 * MARGIN + 30}
        )
        page.evaluate("fitDiagram()")
        page.screenshot(path=str(target), full_page=True)
    finally:
        page.close()
    if target.stat().st_size < MIN_BYTES:
        raise SystemExit(f"{target}: only {target.stat().st_size} bytes, the diagram was not drawn")
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("diagrams", nargs="*", type=Path, help="bpmn files (default: bpmn/*.bpmn)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "diagrams", help="folder for the PNGs")
    args = parser.parse_args(argv)
    for target in render(args.diagrams or sorted((ROOT / "bpmn").glob("*.bpmn")), args.out):
        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)


if __name__ == "__main__":
    main()
