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
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.clock import now_utc
from bot.intake_queue.console_sessions import SessionRepository
from bot.intake_queue.models import caseworkers

if TYPE_CHECKING:
    from bot.intake_queue.unit_of_work import UnitOfWork

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


def check_username(username: str) -> str:
    """The username as stored (lower case), or AccountError saying what is allowed."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise AccountError(
            "Användarnamnet får bara ha små bokstäver a–z, siffror, punkt, bindestreck och "
            "understreck (2–80 tecken)."
        )
    return username


def _caseworker(row: Any) -> Caseworker:
    return Caseworker(row.username, row.display_name, bool(row.active))


class AccountRepository:
    """Caseworker accounts inside the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, username: str, display_name: str, password: str) -> Caseworker:
        """A new active account; AccountError if the name or password cannot be used."""
        username = check_username(username)
        check_new_password(password)
        shown = display_name.strip() or username
        taken = AccountError(f"Det finns redan ett konto som heter {username}.")
        if self._row(username) is not None:
            raise taken
        try:
            self.connection.execute(
                caseworkers.insert().values(
                    username=username,
                    display_name=shown,
                    password_hash=hash_password(password),
                    active=True,
                    created_at=now_utc(),
                )
            )
        except IntegrityError as error:  # made by someone else meanwhile
            raise taken from error
        return Caseworker(username, shown, True)

    def find(self, username: str) -> Caseworker | None:
        """An account by username (active or not)."""
        row = self._row(username)
        return _caseworker(row) if row is not None else None

    def password_hash(self, username: str) -> tuple[Caseworker, str] | None:
        row = self._row(username)
        return (_caseworker(row), row.password_hash) if row is not None else None

    def list(self) -> list[Caseworker]:
        rows = self.connection.execute(select(caseworkers).order_by(caseworkers.c.username))
        return [_caseworker(r) for r in rows]

    def set_active(self, username: str, active: bool) -> str:
        """Block or unblock; blocking also ends the account's sessions, in this transaction, so
        unblocking later does not bring an old browser tab back to life. Returns the username."""
        username = username.strip().lower()
        result = self.connection.execute(
            caseworkers.update().where(caseworkers.c.username == username).values(active=active)
        )
        if result.rowcount == 0:
            raise AccountError(f"Det finns inget konto som heter {username}.")
        if not active:
            SessionRepository(self.connection).end_all_for(username)
        return username

    def _row(self, username: str) -> Any:
        return self.connection.execute(
            select(caseworkers).where(caseworkers.c.username == username.strip().lower())
        ).first()


def _unit(engine: Engine) -> UnitOfWork:
    from bot.intake_queue.unit_of_work import UnitOfWork

    return UnitOfWork(engine)


def create_account(engine: Engine, username: str, display_name: str, password: str) -> Caseworker:
    """An account on its own; a caseworker's action goes through use_cases.create_account."""
    with _unit(engine) as uow:
        return uow.accounts.add(username, display_name, password)


def authenticate(engine: Engine, username: str, password: str) -> Caseworker | None:
    """The account if the password is right and the account is active, else None."""
    with _unit(engine) as uow:
        found = uow.accounts.password_hash(username)
    if found is None:
        hash_password(password)  # same work either way, so timing does not reveal usernames
        return None
    account, stored = found
    if not account.active or not verify_password(password, stored):
        return None
    return account


def list_accounts(engine: Engine) -> list[Caseworker]:
    with _unit(engine) as uow:
        return uow.accounts.list()


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Block or unblock an account (see AccountRepository.set_active)."""
    with _unit(engine) as uow:
        uow.accounts.set_active(username, active)


def find_account(engine: Engine, username: str) -> Caseworker | None:
    """An account by username (active or not); the console checks `active` on every request."""
    with _unit(engine) as uow:
        return uow.accounts.find(username)
