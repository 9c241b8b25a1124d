"""Secrets of the second factor: recovery codes and enrollment-link tokens, and how they are stored.

Recovery codes are hashed with Django's PBKDF2 password hasher (salted), at fewer iterations than a
password: a code carries ~49 random bits, not a human's choice, and up to ten are checked per attempt.
Enrollment-link tokens carry 256 random bits: one SHA-256 digest is enough to look them up.
"""

import hashlib
import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper
RECOVERY_CODE_LENGTH = 10


class RecoveryCodeHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_recovery"
    iterations = 60_000


_HASHER = RecoveryCodeHasher()


def recovery_code_new() -> str:
    """A fresh code as shown to the user: two groups of five (ABCDE-FGHJK)."""
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def recovery_code_normalise(code: str) -> str:
    """What the user typed, without spaces and dashes, in capitals."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def looks_like_recovery_code(code: str) -> bool:
    normalised = recovery_code_normalise(code)
    return len(normalised) == RECOVERY_CODE_LENGTH and all(ch in RECOVERY_ALPHABET for ch in normalised)


def recovery_code_hash(code: str) -> str:
    return _HASHER.encode(recovery_code_normalise(code), _HASHER.salt())


def recovery_code_check(code: str, encoded: str) -> bool:
    return _HASHER.verify(recovery_code_normalise(code), encoded)


def link_token_new() -> str:
    return secrets.token_urlsafe(32)


def link_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
