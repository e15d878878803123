"""Message nonces: the same text always gives the same nonce, so a message sent again after a
crash carries the nonce of the first attempt, and Discord keeps one of them."""

from __future__ import annotations

import hashlib

MAX_NONCE = 25  # Discord's limit for a nonce, in characters


def stable_nonce(prefix: str, text: str, digits: int = 20) -> str:
    """``prefix`` and the first ``digits`` hex digits of the SHA-256 of ``text``."""
    nonce = prefix + hashlib.sha256(text.encode()).hexdigest()[:digits]
    assert len(nonce) <= MAX_NONCE, nonce
    return nonce
