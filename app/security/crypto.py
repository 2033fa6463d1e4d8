"""Encryption at rest of personal information (GB/T 22239-2019 8.1.4.8 数据保密性): AES-256-GCM
for the value, an HMAC-SHA256 keyed hash (a "blind index") for uniqueness and exact search.

Both keys are derived from one secret (`PII_KEY`, kept outside the database), so a copy of the
database alone reveals neither the numbers nor, by hashing guesses, which number a row holds."""

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1:"  # the format's version: a later key or cipher is a new prefix


class PiiKeyError(RuntimeError):
    pass


def _subkey(secret: str, purpose: bytes) -> bytes:
    if not secret:
        raise PiiKeyError("未配置个人信息加密密钥 PII_KEY")
    return hmac.new(secret.encode("utf-8"), purpose, hashlib.sha256).digest()


def encrypt(plaintext: str, secret: str) -> str:
    """`v1:` + base64(nonce ‖ ciphertext ‖ tag); a fresh nonce per value."""
    nonce = os.urandom(12)
    sealed = AESGCM(_subkey(secret, b"award-pii-encryption")).encrypt(
        nonce, plaintext.encode("utf-8"), PREFIX.encode()
    )
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def decrypt(stored: str, secret: str) -> str:
    """The plaintext; a value tampered with or sealed with another key raises `PiiKeyError`."""
    from cryptography.exceptions import InvalidTag

    raw = base64.urlsafe_b64decode(stored[len(PREFIX) :].encode("ascii"))
    try:
        plain = AESGCM(_subkey(secret, b"award-pii-encryption")).decrypt(
            raw[:12], raw[12:], PREFIX.encode()
        )
    except InvalidTag:
        raise PiiKeyError("个人信息解密失败：密钥 PII_KEY 不符或数据被篡改") from None
    return plain.decode("utf-8")


def blind_index(plaintext: str, secret: str) -> str:
    """Keyed hash of the normalized value: equal numbers, equal hashes; no key, no guessing."""
    value = plaintext.strip().upper()
    return hmac.new(
        _subkey(secret, b"award-pii-index"), value.encode("utf-8"), hashlib.sha256
    ).hexdigest()
