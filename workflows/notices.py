"""Notices to the applicant (REQ-5, MBX-4, NAT-5, ERR-2): a subject and a text with {field} placeholders.

A diagram writes the text; the case data fills it in. Only `{name}` with a plain field name is a
placeholder (no attribute access, no format specs: `str.format` would let a diagram reach into
Python objects), an enum value shows as its Chinese label, and every value is cut to a bounded length.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .forms import holds

PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]{0,63})\}")
MAX_TEMPLATE = 2_000
MAX_VALUE = 2_000
MAX_TEXT = 5_000


@dataclass(frozen=True)
class Notice:
    """What a task's completion tells the applicant, and when (a value of the case data, or otherwise)."""

    subject: str
    body: str
    when: tuple[str, str] | None = None

    def applies(self, values: Mapping[str, Any]) -> bool:
        """Does the case, as the task's completion leaves it, call for this notice?"""
        return self.when is None or holds(self.when, values)

    def placeholders(self) -> set[str]:
        """The field names the subject and body use."""
        return set(PLACEHOLDER.findall(self.subject)) | set(PLACEHOLDER.findall(self.body))


def to_send(notices: Sequence[Notice], data: Mapping[str, Any]) -> list[Notice]:
    """What a completed task sends: each notice whose when= holds, else those without when=.

    As with a task's conditional deadlines, the plain notice is the one for every other case: an
    error report fed back after a correction carries the corrected address, any other the plain text.
    """
    matching = [n for n in notices if n.when is not None and n.applies(data)]
    return matching or [n for n in notices if n.when is None]


def render(template: str, data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> str:
    """Fill `{field}` from the case data; enum values by their label, lists joined, None as empty."""

    def value(match: re.Match[str]) -> str:
        found = data.get(match.group(1))
        names = labels.get(match.group(1), {})
        if isinstance(found, list):
            text = "、".join(names.get(str(item), str(item)) for item in found)
        elif found is None:
            text = ""
        else:
            text = names.get(str(found), str(found))
        return text[:MAX_VALUE]

    return PLACEHOLDER.sub(value, template)[:MAX_TEXT]
