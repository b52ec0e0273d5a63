"""Caseworker accounts for the console: created with the CLI, passwords stored as scrypt hashes.

scrypt comes with Python's hashlib, so no extra dependency; each hash carries its own salt and
cost parameters, so the cost can be raised later without breaking existing accounts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.intake_queue.console_sessions import end_sessions_of
from bot.intake_queue.models import caseworkers
from bot.intake_queue.repository import now_utc

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


class AccountError(ValueError):
    """A username or password that cannot be used; the message says why, in Swedish."""


@dataclass(frozen=True)
class Caseworker:
    username: str
    display_name: str
    active: bool


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str) -> str:
    """'scrypt$n$r$p$salt$hash' – everything needed to check the password later."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison; a malformed stored hash never matches."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")


def create_account(engine: Engine, username: str, display_name: str, password: str) -> Caseworker:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise AccountError(
            "Användarnamnet får bara ha små bokstäver a–z, siffror, punkt, bindestreck och "
            "understreck (2–80 tecken)."
        )
    check_new_password(password)
    try:
        with engine.begin() as connection:
            connection.execute(
                caseworkers.insert().values(
                    username=username,
                    display_name=display_name.strip() or username,
                    password_hash=hash_password(password),
                    active=True,
                    created_at=now_utc(),
                )
            )
    except IntegrityError as error:
        raise AccountError(f"Det finns redan ett konto som heter {username}.") from error
    return Caseworker(username, display_name.strip() or username, True)


def authenticate(engine: Engine, username: str, password: str) -> Caseworker | None:
    """The account if the password is right and the account is active, else None."""
    with engine.connect() as connection:
        row = connection.execute(
            select(caseworkers).where(caseworkers.c.username == username.strip().lower())
        ).first()
    if row is None:
        hash_password(password)  # same work either way, so timing does not reveal usernames
        return None
    if not row.active or not verify_password(password, row.password_hash):
        return None
    return Caseworker(row.username, row.display_name, row.active)


def list_accounts(engine: Engine) -> list[Caseworker]:
    with engine.connect() as connection:
        rows = connection.execute(select(caseworkers).order_by(caseworkers.c.username)).all()
    return [Caseworker(r.username, r.display_name, r.active) for r in rows]


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Block or unblock an account. Blocking also ends its sessions in the same transaction, so
    unblocking later does not bring an old browser tab back to life."""
    with engine.begin() as connection:
        result = connection.execute(
            caseworkers.update()
            .where(caseworkers.c.username == username.strip().lower())
            .values(active=active)
        )
        if result.rowcount == 0:
            raise AccountError(f"Det finns inget konto som heter {username}.")
        if not active:
            end_sessions_of(connection, username)


def find_account(engine: Engine, username: str) -> Caseworker | None:
    """An account by username (active or not); the console checks `active` on every request."""
    with engine.connect() as connection:
        row = connection.execute(
            select(caseworkers).where(caseworkers.c.username == username.strip().lower())
        ).first()
    return Caseworker(row.username, row.display_name, row.active) if row else None
