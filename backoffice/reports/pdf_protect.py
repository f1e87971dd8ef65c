"""AES-256 password protection for the PDFs we render: PDF 2.0's standard security handler
(ISO 32000-2, revision 6, AESV3), plugged into reportlab's own encryption hook.

reportlab encrypts each string and stream as it writes the object (`PDFStream.format`), so a
protected report still streams page by page from the spool (`pdf_spool`): nothing is read back or
held whole. reportlab's own 256-bit mode is revision 5, which ISO 32000-2 deprecates, and needs a
pure-Python AES; here the AES is the `cryptography` package's (OpenSSL).

The password opens the file (user password) and is also its owner password: whoever may read the
report may print and copy it; the protection is against a lost file, not against its reader.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase.pdfdoc import DummyDoc, PDFDictionary, PDFName, PDFObject, pdfdocEnc

_ALL_PERMISSIONS = -4  # every permission bit set (ISO 32000-2, table 22)
_ZERO_IV = bytes(16)


class Aes256Encryption(StandardEncryption):
    """reportlab's encryption object for one document: `BaseDocTemplate(encrypt=...)`."""

    prepared: int = 0

    def __init__(self, password: str) -> None:
        super().__init__(b"", strength=128)  # the flags; the revision is set below
        self.revision = 6
        self._secret = password_bytes(password)

    def prepare(self, document: Any, overrideID: Any = None) -> None:
        if self.prepared:
            raise ValueError("encryption already prepared!")
        self.key = os.urandom(32)
        self.P = _ALL_PERMISSIONS
        self.U, self.UE = _password_entries(self._secret, self.key, b"")
        self.O, self.OE = _password_entries(self._secret, self.key, self.U)
        self.Perms = _perms(self.key, self.P)
        self.objnum = self.version = None
        self.prepared = 1

    def encode(self, t: str | bytes) -> bytes:
        """A string or stream of the object being written: AES-256-CBC, random IV in front."""
        if not self.prepared:
            raise ValueError("encryption not prepared!")
        data = pdfdocEnc(t)
        iv = os.urandom(16)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(iv)).encryptor()
        return iv + encryptor.update(padded) + encryptor.finalize()

    def info(self) -> PDFObject:
        if not self.prepared:
            raise ValueError("encryption not prepared!")
        return _EncryptDictionary(self)


class _EncryptDictionary(PDFObject):
    """The trailer's /Encrypt dictionary, written unencrypted (as reportlab's own is)."""

    __RefOnly__ = 1

    def __init__(self, encryption: Aes256Encryption) -> None:
        self.encryption = encryption

    def format(self, document: Any) -> bytes:
        e = self.encryption
        crypt_filter = {"CFM": PDFName("AESV3"), "AuthEvent": PDFName("DocOpen"), "Length": 32}
        entries = {
            "Filter": PDFName("Standard"),
            "V": 5,
            "R": 6,
            "Length": 256,
            "CF": PDFDictionary({"StdCF": PDFDictionary(crypt_filter)}),
            "StmF": PDFName("StdCF"),
            "StrF": PDFName("StdCF"),
            "O": _hex(e.O),
            "U": _hex(e.U),
            "OE": _hex(e.OE),
            "UE": _hex(e.UE),
            "P": e.P,
            "Perms": _hex(e.Perms),
            "EncryptMetadata": "true",
        }
        return bytes(PDFDictionary(entries).format(DummyDoc()))


def password_bytes(password: str) -> bytes:
    """The password as revision 6 hashes it: UTF-8, at most 127 bytes (whole characters)."""
    data = password.encode("utf-8")[:127]
    return data.decode("utf-8", errors="ignore").encode("utf-8")


def _password_entries(secret: bytes, key: bytes, udata: bytes) -> tuple[bytes, bytes]:
    """(U, UE) for udata b"", (O, OE) for udata U: the validation entry (hash, two salts) and the
    file key wrapped with a key derived from the password (algorithms 8 and 9)."""
    validation_salt, key_salt = os.urandom(8), os.urandom(8)
    entry = _hash(secret, validation_salt, udata) + validation_salt + key_salt
    wrap = Cipher(algorithms.AES(_hash(secret, key_salt, udata)), modes.CBC(_ZERO_IV)).encryptor()
    return entry, wrap.update(key) + wrap.finalize()


def _perms(key: bytes, permissions: int) -> bytes:
    """The permissions, encrypted with the file key so that they cannot be edited (algorithm 10)."""
    block = permissions.to_bytes(4, "little", signed=True) + b"\xff" * 4 + b"Tadb" + os.urandom(4)
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def _hash(secret: bytes, salt: bytes, udata: bytes) -> bytes:
    """ISO 32000-2 algorithm 2.B: SHA-256/384/512 rounds over AES-128, at least 64 of them."""
    k = hashlib.sha256(secret + salt + udata).digest()
    rounds = 0
    while True:
        block = (secret + k + udata) * 64
        encryptor = Cipher(algorithms.AES(k[:16]), modes.CBC(k[16:32])).encryptor()
        e = encryptor.update(block) + encryptor.finalize()
        digest = ("sha256", "sha384", "sha512")[int.from_bytes(e[:16], "big") % 3]
        k = hashlib.new(digest, e).digest()
        rounds += 1
        if rounds >= 64 and e[-1] <= rounds - 32:
            return k[:32]


def _hex(data: bytes | None) -> bytes:
    assert data is not None
    return b"<" + data.hex().encode("ascii") + b">"
