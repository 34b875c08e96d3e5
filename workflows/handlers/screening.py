"""The 错敏 screening of an item before its reviews and after it is published (PUB-9)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..screening import WordList, screen
from . import Handler, HandlerError, register


@register
class ContentScreening(Handler):
    """Screen named fields of the case data against the word list and the personal-data detectors.

    `fields` maps what a reviewer reads (标题, 正文) to a case data field; a field the case lacks
    (an optional interpretation, say) is screened as empty.
    """

    name = "content_screening"
    label = "错敏检测"
    parameters = frozenset({"fields"})

    def __init__(self, word_list: Callable[[], WordList]) -> None:
        self.word_list = word_list

    def __call__(self, params: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
        fields = params["fields"]
        if not isinstance(fields, Mapping) or not all(
            isinstance(label, str) and isinstance(key, str) for label, key in fields.items()
        ):
            raise HandlerError("content_screening needs fields = {label: field name}")
        texts = {label: data.get(key) for label, key in fields.items()}
        return screen(
            {label: text for label, text in texts.items() if isinstance(text, str)}, self.word_list()
        ).to_data()
