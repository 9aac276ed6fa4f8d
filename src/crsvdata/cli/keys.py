"""``crsvdata keys``: make pseudonymisation key files. The key itself is never printed.

Exit codes: 0 done, 2 the file exists, the id is not valid or the folder cannot be written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

import click

from crsvdata.anonymise.errors import KeyMaterialError
from crsvdata.anonymise.keys import KEY_ID_PATTERN, write_key_file

__all__ = ["keys_group"]

EXIT_USAGE: Final = 2


@click.group("keys")
def keys_group() -> None:
    """Make pseudonymisation keys (files of mode 600; the key is never shown)."""


@keys_group.command("new")
@click.option(
    "--id",
    "key_id",
    metavar="ID",
    help=f"Key id that tokens will carry ({KEY_ID_PATTERN}); default: k<today>-<4 random hex digits>.",
)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def new_command(key_id: str | None, path: Path) -> None:
    """Write a new key file at PATH: 32 random bytes, mode 600. An existing file is never overwritten.

    Keep the file with the organisation that coordinates pseudonymisation, never with the data or a
    recipient. Pass it to `crsvdata anonymise --key-file PATH`.
    """
    try:
        ring = write_key_file(path, key_id)
    except KeyMaterialError as exc:
        click.echo(f"error: {exc.code}: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"key id:      {ring.active}")
    click.echo(f"key file:    {path} (mode 600)")
    click.echo(f"fingerprint: {ring.fingerprint()}")
