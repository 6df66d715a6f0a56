"""Ed25519 keys and manifest signatures (PyNaCl / libsodium).

Key files are single lines: `ed25519-secret:<base64 32-byte seed>` and `ed25519-public:<base64 32 bytes>`,
so they survive copy and paste into a config and are never mistaken for each other.
"""

from __future__ import annotations

import base64
import hashlib
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from feed.disk.files import read_regular
from feed.errors import ConfigError, FeedRejectedError
from feed.format.canonical import canonical_bytes

if TYPE_CHECKING:  # the manifest models (pydantic) are not needed to load a key: apps check theirs
    from collections.abc import Sequence

    from feed.format.manifest import Manifest, Signature, SignedManifest  # before their first frame

SECRET_PREFIX = "ed25519-secret:"
PUBLIC_PREFIX = "ed25519-public:"
MAX_KEY_FILE_BYTES = 4096  # a key file is one line; a FIFO or a huge file is refused, not read


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def generate_keypair() -> tuple[str, str]:
    """Return (secret key text, public key text)."""
    signing = SigningKey.generate()
    secret = SECRET_PREFIX + base64.b64encode(bytes(signing)).decode("ascii")
    public = PUBLIC_PREFIX + base64.b64encode(bytes(signing.verify_key)).decode("ascii")
    return secret, public


def _decode(text: str, prefix: str, what: str, origin: str) -> bytes:
    text = text.strip()
    if not text.startswith(prefix):
        raise ConfigError(f"{origin}: not an {what} (expected a line starting with {prefix!r})")
    try:
        raw = base64.b64decode(text[len(prefix) :], validate=True)
    except ValueError as exc:
        raise ConfigError(f"{origin}: {what} is not valid base64") from exc
    if len(raw) != 32:
        raise ConfigError(f"{origin}: {what} must decode to 32 bytes, got {len(raw)}")
    return raw


def load_signing_key(path: Path) -> SigningKey:
    """The secret key in `path`; ConfigError when it cannot be read, is malformed, or is a file any
    user of the machine could replace (writable by all, or in a directory writable by all)."""
    try:
        text = read_regular(path, MAX_KEY_FILE_BYTES).decode("utf-8", "replace")
        _check_not_replaceable(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read secret key: {exc.strerror}") from exc
    return SigningKey(_decode(text, SECRET_PREFIX, "Ed25519 secret key", str(path)))


def _check_not_replaceable(path: Path) -> None:
    """A feed signed with a key anyone could have swapped is no longer the bureau's: refuse it."""
    mode = path.stat().st_mode
    if mode & stat.S_IWOTH:
        raise ConfigError(
            f"{path}: the secret key is writable by every user (mode {stat.S_IMODE(mode):04o}), so anyone "
            "could have replaced it; refusing to sign (chmod 600 it, and check it is still yours)"
        )
    folder = path.resolve().parent.stat().st_mode
    if folder & stat.S_IWOTH and not folder & stat.S_ISVTX:
        raise ConfigError(
            f"{path}: the secret key lies in a directory every user can write to, so anyone could "
            "have replaced it; refusing to sign (move it to a private directory)"
        )


def parse_public_key(text: str, origin: str = "public key") -> VerifyKey:
    return VerifyKey(_decode(text, PUBLIC_PREFIX, "Ed25519 public key", origin))


def load_public_key(path: Path) -> VerifyKey:
    try:
        text = read_regular(path, MAX_KEY_FILE_BYTES).decode("utf-8", "replace")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read public key: {exc.strerror}") from exc
    return parse_public_key(text, str(path))


def sign_manifest(signed: SignedManifest, key: SigningKey) -> Manifest:
    from feed.format.manifest import Manifest

    return Manifest(
        signed=signed, signatures=[sign_message(canonical_bytes(signed.model_dump(mode="json")), key)]
    )


def sign_message(message: bytes, key: SigningKey) -> Signature:
    """The signature by `key` of `message` (the canonical bytes of a document's `signed` part)."""
    from feed.format.manifest import Signature

    sig = key.sign(message).signature
    return Signature(key_id=key_id(bytes(key.verify_key)), sig=base64.b64encode(sig).decode("ascii"))


def verify_manifest(manifest: Manifest, raw_signed: object, key: VerifyKey) -> None:
    """Check that one signature by `key` covers the canonical form of the signed part as received.

    `raw_signed` is the decoded JSON of `signed` exactly as it arrived, so fields are not re-serialised
    through the model (which could normalise them) before checking.
    """
    verify_signed(manifest.signatures, raw_signed, key, "manifest")


def verify_signed(signatures: Sequence[Signature], raw_signed: object, key: VerifyKey, what: str) -> None:
    """The rule of `verify_manifest` for any signed document (`what` names it in the error):
    FeedRejectedError unless a signature by `key` verifies over the canonical bytes of `raw_signed`."""
    wanted = key_id(bytes(key))
    message = canonical_bytes(raw_signed)
    for signature in signatures:
        if signature.key_id != wanted:
            continue
        try:
            key.verify(message, base64.b64decode(signature.sig, validate=True))
        except (BadSignatureError, ValueError) as exc:
            raise FeedRejectedError(f"{what} signature does not verify") from exc
        return
    if signatures:
        raise FeedRejectedError(f"{what} is not signed by the configured key")
    raise FeedRejectedError(f"{what} is not signed")
