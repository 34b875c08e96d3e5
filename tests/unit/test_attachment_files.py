"""The local file store and the attachment rules without the app: names, types, limits, atomic writes
(issue 11)."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from service.services.attachment_rules import AttachmentRules, clean_name, content_disposition, size_words
from service.services.storage import LocalFileStore, new_key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("关于2026年预算的请示.docx", "关于2026年预算的请示.docx"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张伟\\Desktop\\报告.pdf", "报告.pdf"),
        ("发文\n稿\t.pdf", "发文 稿.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("零\u200b宽.pdf", "零宽.pdf"),
        ("NUL.txt", "_NUL.txt"),
        ("com1.tar.zip", "_com1.tar.zip"),
        ('a<b>:c"d|e?f*.pdf', "a_b__c_d_e_f_.pdf"),
        (".pdf", "附件.pdf"),
        ("...", "附件"),
        ("", "附件"),
        (None, "附件"),
        ("报告.pdf. . ", "报告.pdf"),
        ("甲" * 300 + ".pdf", "甲" * 116 + ".pdf"),
    ],
)
def test_a_name_keeps_only_what_is_safe_and_readable(raw, clean):
    """Is each name cut to its last path part, without control, format or forbidden characters, never a device name, at most 120 characters?"""
    assert clean_name(raw) == clean


def test_the_type_is_decided_by_the_extension_from_the_allow_list():
    """Do the defaults take office documents, OFD, WPS, images and archives, typed by us, and refuse HTML, SVG and programs?"""
    rules = AttachmentRules()
    assert rules.media_type("通知.PDF") == "application/pdf"
    assert rules.media_type("公文.ofd") == "application/ofd"
    assert rules.media_type("表格.et") == "application/octet-stream"
    assert rules.media_type("照片.JPG") == "image/jpeg"
    for name in ("页面.html", "图.svg", "a.exe", "a.js", "README", "附件"):
        assert rules.media_type(name) is None, name
    assert rules.max_bytes == 20 * 1024 * 1024 and rules.per_case == 20 and rules.max_mb == "20"


def test_the_limits_and_the_list_come_from_the_configuration():
    """Does GOVFLOW_ATTACHMENT_TYPES=".PDF, ofd,dwg" allow exactly those (a type we do not know as a plain download)?"""
    rules = AttachmentRules.from_config(
        {
            "GOVFLOW_ATTACHMENT_TYPES": ".PDF, ofd,dwg,",
            "GOVFLOW_ATTACHMENT_MAX_MB": 50,
            "GOVFLOW_ATTACHMENTS_PER_CASE": 5,
        }
    )
    assert rules.extensions == ("pdf", "ofd", "dwg") and rules.accept() == ".pdf,.ofd,.dwg"
    assert rules.media_type("图纸.dwg") == "application/octet-stream"
    assert rules.media_type("a.docx") is None
    assert (rules.max_bytes, rules.per_case, rules.max_mb) == (50 * 1024 * 1024, 5, "50")
    assert AttachmentRules.from_config({}).extensions == AttachmentRules().extensions


def test_a_download_names_the_file_in_utf8_and_in_plain_ascii():
    """Is the Chinese name sent as RFC 5987 filename*, with a plain ASCII fallback for old clients?"""
    assert content_disposition("report (final).pdf") == (
        "attachment; filename=\"report (final).pdf\"; filename*=UTF-8''report%20%28final%29.pdf"
    )
    assert content_disposition("预算.xlsx") == (
        "attachment; filename=\"attachment.xlsx\"; filename*=UTF-8''%E9%A2%84%E7%AE%97.xlsx"
    )
    assert content_disposition("R&D's.pdf").startswith('attachment; filename="attachment.pdf"; ')


def test_sizes_read_as_people_say_them():
    assert [size_words(n) for n in (0, 1023, 4300, 1536 * 1024)] == ["0 字节", "1023 字节", "4 KB", "1.5 MB"]


def test_the_store_keeps_bytes_under_a_key_and_gives_them_back(tmp_path):
    """Does put return size and SHA-256, open give the same bytes, keys list it, delete remove it (twice is fine)?"""
    store = LocalFileStore(tmp_path)
    key = new_key()
    content = os.urandom(3 * 1024 * 1024 + 7)  # more than one chunk
    stored = store.put(key, io.BytesIO(content))
    assert stored.size == len(content) and stored.sha256 == hashlib.sha256(content).hexdigest()
    with store.open(key) as source:
        assert source.read() == content
    assert list(store.keys()) == [key] and list(store.keys(min_age=3600)) == []
    assert (tmp_path / key[:2] / key).exists()
    store.delete(key)
    store.delete(key)
    assert list(store.keys()) == []
    with pytest.raises(FileNotFoundError):
        store.open(key)


@pytest.mark.parametrize(
    "key", ["../../etc/passwd", "ABCDEF0123456789ABCDEF0123456789", "x" * 32, "", "a" * 31]
)
def test_the_store_refuses_any_key_it_did_not_make(tmp_path, key):
    """Is a path, or anything but 32 lower-case hex digits, refused before the disk is touched?"""
    store = LocalFileStore(tmp_path)
    for act in (lambda: store.put(key, io.BytesIO(b"x")), lambda: store.open(key), lambda: store.delete(key)):
        with pytest.raises(ValueError):
            act()


class Broken(io.BytesIO):
    """A request body whose connection drops after the first megabyte."""

    def read(self, size=-1):
        if self.tell() >= 1024 * 1024:
            raise ConnectionResetError("the client went away")
        return super().read(size)


def test_a_write_cut_short_leaves_no_file_under_the_key_and_nothing_half_written(tmp_path):
    """If the source fails mid-way, is there neither a file under the key nor a partial one left?"""
    store = LocalFileStore(tmp_path)
    key = new_key()
    with pytest.raises(ConnectionResetError):
        store.put(key, Broken(b"x" * (3 * 1024 * 1024)))
    assert list(store.keys()) == []
    assert list((tmp_path / ".partial").iterdir()) == []


def test_writes_a_crash_left_half_done_are_swept_once_old(tmp_path):
    """A partial file from a crash is kept while it may still be written, and removed once older than the age given."""
    store = LocalFileStore(tmp_path)
    partial = tmp_path / ".partial" / f"{new_key()}.1234"
    partial.write_bytes(b"half")
    assert store.sweep_partial(3600) == 0 and partial.exists()
    old = partial.stat().st_mtime - 7200
    os.utime(partial, (old, old))
    assert store.sweep_partial(3600) == 1 and not partial.exists()
