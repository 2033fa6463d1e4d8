"""A column type that stores a personal-information string encrypted (AES-GCM) and reads it back
as plaintext, so the rest of the code keeps using `individual.id_number` as before; and the
keyed-hash column beside it that holds uniqueness and exact search."""

from flask import current_app, has_app_context
from sqlalchemy import String, event
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from app.security.crypto import blind_index, decrypt, encrypt, is_encrypted

HASH_LENGTH = 64
STORED_LENGTH = 100  # an 18-character ID number takes 67 characters encrypted


def pii_key() -> str:
    """The application's key; outside an app (a bare SQLAlchemy session in a script or test),
    the configuration's, which reads the same environment variable."""
    if has_app_context():
        return current_app.config["PII_KEY"]
    from config import config_for

    return config_for().PII_KEY


class EncryptedString(TypeDecorator):
    """Stored sealed with a fresh nonce, so two values never compare equal in SQL: `==`, `!=`
    and `in_` compare the keyed hash in the `<name>_hash` column beside it instead, and every
    query (`Individual.id_number == x`, FAB's "equal to" search) keeps working."""

    impl = String(STORED_LENGTH)
    cache_ok = True

    class comparator_factory(TypeDecorator.Comparator):
        def _hashed(self):
            return self.expr.table.c[f"{self.expr.key}_hash"]

        def __eq__(self, other):
            if other is None:
                return self._hashed().is_(None)
            return self._hashed() == blind_index(other, pii_key())

        def __ne__(self, other):
            if other is None:
                return self._hashed().is_not(None)
            return self._hashed() != blind_index(other, pii_key())

        def in_(self, other):
            return self._hashed().in_([blind_index(v, pii_key()) for v in other])

    def process_bind_param(self, value, dialect):
        if value is None or is_encrypted(value):
            return value
        return encrypt(value, pii_key())

    def process_result_value(self, value, dialect):
        if value is None or not is_encrypted(value):
            return value  # a row written before encryption (converted by the migration)
        return decrypt(value, pii_key())


# model class -> (encrypted attribute, hash attribute)
INDEXED: dict[type, tuple[str, str]] = {}


def blind_indexed(plain: str, hashed: str):
    """Class decorator: keep `hashed` the keyed hash of `plain` whenever a row is flushed."""

    def register(cls):
        INDEXED[cls] = (plain, hashed)
        return cls

    return register


def _fill_hashes(session, _context, _instances) -> None:
    for obj in (*session.new, *session.dirty):
        names = INDEXED.get(type(obj))
        if names is None:
            continue
        plain, hashed = names
        value = getattr(obj, plain)
        digest = blind_index(value, pii_key()) if value else None
        if getattr(obj, hashed) != digest:
            setattr(obj, hashed, digest)


# Attached where the column type is defined, not per app (app/app_state.py): the keyed hash is
# part of the stored value's contract, and a bare session outside any app (seed scripts,
# tests/seed) must fill it too.
event.listen(Session, "before_flush", _fill_hashes)
