"""`hall-feed keygen --out PREFIX`: a new Ed25519 key pair as PREFIX.key (secret) and PREFIX.pub."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from feed.disk.atomic import PRIVATE_MODE
from feed.errors import FeedError
from feed.format.signing import generate_keypair, key_id, parse_public_key


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "keygen",
        help="create a feed signing key pair",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="PREFIX", help="writes PREFIX.key and PREFIX.pub"
    )
    parser.set_defaults(func=run)


def write_keypair(prefix: Path) -> tuple[Path, Path, str]:
    """Write PREFIX.key (mode 0600) and PREFIX.pub; refuse to overwrite either. Returns (key, pub, key id)."""
    secret_path = prefix.with_name(prefix.name + ".key")
    public_path = prefix.with_name(prefix.name + ".pub")
    for path in (secret_path, public_path):
        if path.exists():
            raise FeedError(f"{path} already exists; refusing to overwrite a key")
    if prefix.parent.exists() and not prefix.parent.is_dir():
        raise FeedError(f"{prefix.parent} is not a directory")
    # A new key directory is private too: only its owner lists the secret's name.
    prefix.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    secret, public = generate_keypair()
    # O_EXCL makes the refusal race-free; 0600 from the start, so the secret is never world-readable.
    try:
        fd = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError as exc:
        raise FeedError(f"{secret_path} already exists; refusing to overwrite a key") from exc
    except OSError as exc:
        raise FeedError(f"{secret_path}: cannot create the key file ({exc.strerror})") from exc
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    try:
        with public_path.open("x", encoding="ascii") as handle:
            handle.write(public + "\n")
    except FileExistsError as exc:
        secret_path.unlink()
        raise FeedError(f"{public_path} already exists; refusing to overwrite a key") from exc
    return secret_path, public_path, key_id(bytes(parse_public_key(public)))


def run(args: argparse.Namespace) -> int:
    secret_path, public_path, kid = write_keypair(args.out)
    print(f"key id {kid}: secret key {secret_path} (keep it private), public key {public_path}")
    return 0
