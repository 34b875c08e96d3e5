"""What an attachment may be: its limits, the file types offices exchange, a safe name, and how a
download names it. No I/O here: attachments.py applies these to uploads (issue 11, PUB-1)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

MB = 1024 * 1024
# The file types of government office work, each with the media type it is served as. WPS Office's
# own formats (wps, et, dps) have no registered media type: a download opens them by their name.
# Never HTML, SVG or script: every download is `attachment` anyway, but none is accepted at all.
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "ofd": "application/ofd",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "wps": "application/octet-stream",
    "et": "application/octet-stream",
    "dps": "application/octet-stream",
    "txt": "text/plain",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
    "rar": "application/vnd.rar",
}
UNKNOWN_TYPE = "application/octet-stream"  # an extension an operator allowed that we have no type for
NAME_LIMIT = 120  # characters; what a person can still read in a list (the disk never sees the name)
FALLBACK_STEM = "附件"
# Windows refuses these as file names whatever the extension: a download saved as CON.pdf fails.
RESERVED_STEMS = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)
# Characters Windows and macOS refuse in a name: each becomes "_".
FORBIDDEN = re.compile(r'[<>:"|?*]')


@dataclass(frozen=True)
class AttachmentRules:
    """Limits from the configuration: bytes per file, live files per case, allowed extensions."""

    max_bytes: int = 20 * MB
    per_case: int = 20
    extensions: tuple[str, ...] = tuple(MEDIA_TYPES)

    @classmethod
    def from_config(cls, config: Any) -> AttachmentRules:
        listed = config.get("GOVFLOW_ATTACHMENT_TYPES") or ""
        extensions = tuple(
            dict.fromkeys(e.strip().lower().lstrip(".") for e in listed.split(",") if e.strip())
        )
        return cls(
            max_bytes=int(config.get("GOVFLOW_ATTACHMENT_MAX_MB", 20)) * MB,
            per_case=int(config.get("GOVFLOW_ATTACHMENTS_PER_CASE", 20)),
            extensions=extensions or cls.extensions,
        )

    @property
    def max_mb(self) -> str:
        return f"{self.max_bytes / MB:g}"

    def media_type(self, name: str) -> str | None:
        """The media type a file of this (clean) name is served as; None when its type is not allowed."""
        extension = extension_of(name)
        if extension not in self.extensions:
            return None
        return MEDIA_TYPES.get(extension, UNKNOWN_TYPE)

    def accept(self) -> str:
        """The file input's accept attribute: .pdf,.doc,…"""
        return ",".join(f".{e}" for e in self.extensions)


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def clean_name(raw: str | None) -> str:
    """A file name safe to show and to offer on download: the last path part only, no control or
    format characters (a right-to-left override could make "txt.exe" read as "exe.txt"), none of the
    characters Windows refuses, no leading dots, not a reserved device name; Chinese stays."""
    text = unicodedata.normalize("NFC", raw or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(
        " " if ch.isspace() else ch for ch in text if unicodedata.category(ch)[0] != "C" or ch.isspace()
    )
    text = FORBIDDEN.sub("_", re.sub(r"\s+", " ", text)).strip(" ").rstrip(". ")
    stem, dot, extension = text.rpartition(".")
    if not dot:
        stem, extension = text, ""
    stem = stem.strip(" ").lstrip(". ")
    if RESERVED_STEMS.match(stem.split(".")[0]):
        stem = "_" + stem
    extension = extension.strip(" ")[:16]
    room = NAME_LIMIT - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .") or FALLBACK_STEM
    return f"{stem}.{extension}" if extension else stem


def content_disposition(name: str) -> str:
    """`attachment` with the name twice: plain ASCII for old clients, and RFC 5987 UTF-8 (filename*),
    which every current browser prefers, so 关于预算的请示.docx arrives under its Chinese name."""
    extension = extension_of(name) if re.fullmatch(r"[a-z0-9]+", extension_of(name)) else ""
    plain = name.isascii() and re.fullmatch(r"[A-Za-z0-9 _()-][A-Za-z0-9 ._()-]*", name)
    ascii_name = name if plain else f"attachment.{extension}" if extension else "attachment"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def size_words(size: int) -> str:
    """A size as people read it: 12 KB, 1.5 MB."""
    if size < 1024:
        return f"{size} 字节"
    if size < MB:
        return f"{size / 1024:.0f} KB"
    return f"{size / MB:.1f} MB"
