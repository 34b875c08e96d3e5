"""Where uploaded files live: a small store interface keyed by ids we make, and the local-disk store.

Keys are random (new_key), never a name or path from a request, so nothing a person types reaches
the file system, and each upload owns its key: removing one attachment can never take the bytes of
another, as a content-addressed key shared by two uploads of the same file could while one of them
is still being committed. The SHA-256 of the content is kept beside each row instead (backups and
integrity checks use it).

A put is atomic: the bytes go to a temporary file that is renamed over the key only when complete
and synced, so a crash never leaves a half file under a live key; a crash before the rename leaves a
temporary file that sweep_partial removes.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from flask import current_app

KEY = re.compile(r"^[0-9a-f]{32}$")
PARTIAL_DIR = ".partial"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """What a put wrote: its size in bytes and the SHA-256 of its content (hex)."""

    size: int
    sha256: str


class FileStore(Protocol):
    """Bytes by key. Keys come from new_key(); a store refuses any other."""

    def put(self, key: str, source: IO[bytes]) -> StoredFile:
        """Store the rest of `source` under `key`, all of it or nothing."""
        ...

    def open(self, key: str) -> IO[bytes]:
        """The bytes under `key` to read (FileNotFoundError when there are none)."""
        ...

    def delete(self, key: str) -> None:
        """Remove the bytes under `key`; a key with none is no error."""
        ...

    def keys(self, min_age: float = 0.0) -> Iterator[str]:
        """Every key stored at least `min_age` seconds ago."""
        ...

    def sweep_partial(self, min_age: float) -> int:
        """Drop puts that never finished (a crash mid-write) older than `min_age` seconds."""
        ...


def new_key() -> str:
    """A fresh random key (128 bits)."""
    return secrets.token_hex(16)


def file_store() -> FileStore:
    """The store of the running app (create_app sets it up: LocalFileStore under GOVFLOW_FILES)."""
    return current_app.extensions["govflow_files"]


class LocalFileStore:
    """Files under one folder on this server: root/ab/abcdef… (two hex digits of fan-out)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        (self.root / PARTIAL_DIR).mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        if not isinstance(key, str) or not KEY.match(key):
            raise ValueError(f"not a file key: {key!r}")
        return self.root / key[:2] / key

    def put(self, key: str, source: IO[bytes]) -> StoredFile:
        target = self._path(key)
        partial = self.root / PARTIAL_DIR / f"{key}.{secrets.token_hex(4)}"
        digest, size = hashlib.sha256(), 0
        try:
            with open(partial, "xb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            target.parent.mkdir(exist_ok=True)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        _sync_folder(target.parent)
        return StoredFile(size, digest.hexdigest())

    def open(self, key: str) -> IO[bytes]:
        return open(self._path(key), "rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self, min_age: float = 0.0) -> Iterator[str]:
        latest = time.time() - min_age
        for folder in sorted(self.root.iterdir()):
            if folder.name == PARTIAL_DIR or not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if KEY.match(path.name) and path.stat().st_mtime <= latest:
                    yield path.name

    def sweep_partial(self, min_age: float) -> int:
        latest, removed = time.time() - min_age, 0
        for path in (self.root / PARTIAL_DIR).iterdir():
            if path.stat().st_mtime <= latest:
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink(missing_ok=True)
                removed += 1
        return removed


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (POSIX; a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
