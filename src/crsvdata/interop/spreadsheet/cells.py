"""Text cells that no spreadsheet program runs as a formula (OWASP CSV injection), restored exactly on read.

A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a leading
apostrophe, so that Excel, LibreOffice and a CSV import show it as text. To keep the round trip lossless,
a text that itself starts with an apostrophe, and the empty text (which an empty cell could not tell from
an absent value), get the apostrophe too; reading removes exactly one leading apostrophe.
"""

from __future__ import annotations

from typing import Final

FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet program read a cell as a formula (OWASP)."""
ESCAPE: Final = "'"


def neutralise(text: str) -> str:
    """``text`` as it is written into a cell: never read as a formula, never mistaken for an empty cell."""
    if not text or text.startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return ESCAPE + text
    return text


def restore(cell: str) -> str:
    """The text :func:`neutralise` wrote into ``cell``."""
    return cell[1:] if cell.startswith(ESCAPE) else cell
