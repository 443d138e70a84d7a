"""Passwords (argon2), signed session tokens (itsdangerous) and CSRF tokens.

One token serves the browser (an HttpOnly cookie) and API clients
(``Authorization: Bearer …`` or ``?token=`` on the websocket).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

__all__ = ["COOKIE", "Tokens", "hash_password", "verify_password", "new_password"]

COOKIE = "crisisdrill_session"
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    return "-".join(secrets.token_urlsafe(4) for _ in range(3))


class Tokens:
    def __init__(self, secret: str, max_age_s: int) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="crisisdrill-session")
        self._secret = secret.encode()
        self.max_age_s = max_age_s

    def issue(self, user_id: int) -> str:
        return self._s.dumps({"uid": user_id, "n": secrets.token_hex(4)})

    def user_id(self, token: str | None) -> int | None:
        if not token:
            return None
        try:
            data = self._s.loads(token, max_age=self.max_age_s)
        except (BadSignature, SignatureExpired):
            return None
        uid = data.get("uid") if isinstance(data, dict) else None
        return uid if isinstance(uid, int) else None

    def csrf(self, token: str) -> str:
        """A CSRF token bound to the session token (double-submit, stateless)."""
        return hmac.new(self._secret, b"csrf:" + token.encode(), hashlib.sha256).hexdigest()[:32]

    def check_csrf(self, token: str | None, value: str | None) -> bool:
        return bool(token and value) and hmac.compare_digest(self.csrf(token or ""), value or "")
