"""The public's key to their case (issue 13, REQ-5): a tracking number and a separate query code.

The query code is 100 random bits, shown once to the submitter (and sent to the contact they gave);
only its SHA-256 is stored — a code this long needs no slow hash, since nobody can try 2^100 of them.
A look-up compares in constant time, and does the same work whether or not the tracking number
exists, so the answer's timing does not tell which numbers are real.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select

from ..extensions import db
from ..models import ProcessInstance, PublicAccess
from .engine import now

# Crockford's base32: no I, L, O, U; what a person types as o, i or l is read as 0, 1, 1.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20  # 20 characters of 5 bits: 100 bits
GROUP = 4
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NOWHERE = hashlib.sha256(b"no such case").hexdigest()


def grant(instance: ProcessInstance, channel: str) -> str:
    """A new query code for a case submitted through the public pages (inside the submission's
    transaction); the code is returned once, to be shown and sent, and never stored."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    db.session.add(PublicAccess(instance=instance, channel=channel, code_hash=_hash(code), created_at=now()))
    return "-".join(code[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def find(tracking_number: str, code: str) -> PublicAccess | None:
    """The case with this tracking number if `code` is its query code; None for anything else."""
    number = (tracking_number or "").strip().upper()[:40]
    access = db.session.scalar(
        select(PublicAccess).join(PublicAccess.instance).where(ProcessInstance.tracking_number == number)
    )
    given = _hash(normalised(code))
    matches = hmac.compare_digest(given, access.code_hash if access else _NOWHERE)
    return access if access is not None and matches else None


def normalised(code: str) -> str:
    """A code as typed (any case, with or without dashes and spaces) in its stored form."""
    return "".join(str(code or "").split()).replace("-", "").upper().translate(_TYPED)[: CODE_LENGTH + 8]


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii", "replace")).hexdigest()
