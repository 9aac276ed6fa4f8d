"""Options several commands share, defined once so that they read and behave the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def jobs_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--jobs/-j N``: how many processes do ``what``, this one included (0: one per CPU core)."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        default=1,
        show_default=True,
        help=f"Processes {what}, this one included (0: one per CPU core).",
    )
