"""Token-level evaluation of narrative redaction on the labelled synthetic corpus.

A token is a run of letters or digits. Person-name recall is the share of tokens inside a ``person``
label that fall inside a redacted span; token precision is the share of redacted tokens that fall inside
any label (person, place, contact, address, dob, facility, unit). Run as a script to print the table.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from crsvdata.anonymise.redaction import capitalised_words, normalise, redact_text

CORPUS = Path(__file__).parent / "data" / "redaction" / "narratives.jsonl"
_TOKEN = re.compile(r"\w+")

Redactor = Callable[[str], Iterable[tuple[int, int]]]


@dataclass(frozen=True)
class Scores:
    name_tokens: int
    name_tokens_redacted: int
    redacted_tokens: int
    redacted_labelled: int
    narratives: int

    @property
    def recall(self) -> float:
        return self.name_tokens_redacted / self.name_tokens

    @property
    def precision(self) -> float:
        return self.redacted_labelled / self.redacted_tokens if self.redacted_tokens else 1.0


def load_corpus() -> list[dict[str, object]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def method_spans(text: str) -> list[tuple[int, int]]:
    return [(span.start, span.end) for span in redact_text(text).spans]


def baseline_spans(text: str) -> list[tuple[int, int]]:
    return [(start, end) for start, end, _ in capitalised_words(text)]


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def evaluate(redactor: Redactor, rows: list[dict[str, object]] | None = None) -> Scores:
    rows = rows if rows is not None else load_corpus()
    totals = [0, 0, 0, 0]
    for row in rows:
        text = str(row["text"])
        if normalise(text) != text:
            raise ValueError(f"corpus narrative {row['id']} is not normalised: offsets would shift")
        labels = [(int(s), int(e), str(k)) for s, e, k in row["spans"]]  # type: ignore[attr-defined]
        redacted = list(redactor(text))
        names = [(s, e) for s, e, k in labels if k == "person"]
        every = [(s, e) for s, e, _ in labels]
        for token in _TOKEN.finditer(text):
            start, end = token.span()
            is_name = _inside(start, end, names)
            is_redacted = _inside(start, end, redacted)
            totals[0] += is_name
            totals[1] += is_name and is_redacted
            totals[2] += is_redacted
            totals[3] += is_redacted and _inside(start, end, every)
    return Scores(totals[0], totals[1], totals[2], totals[3], len(rows))


def missed_names(rows: list[dict[str, object]] | None = None) -> list[str]:
    """The labelled name tokens the method leaves, with their narrative id (for debugging)."""
    rows = rows if rows is not None else load_corpus()
    missed = []
    for row in rows:
        text = str(row["text"])
        redacted = method_spans(text)
        for s, e, k in row["spans"]:  # type: ignore[attr-defined]
            if k == "person" and not _inside(int(s), int(e), redacted):
                missed.append(f"{row['id']}: {text[int(s) : int(e)]}")
    return missed


def false_positives(rows: list[dict[str, object]] | None = None) -> list[str]:
    rows = rows if rows is not None else load_corpus()
    out = []
    for row in rows:
        text = str(row["text"])
        every = [(int(s), int(e)) for s, e, _ in row["spans"]]  # type: ignore[attr-defined]
        for start, end in method_spans(text):
            for token in _TOKEN.finditer(text, start, end):
                if not _inside(token.start(), token.end(), every):
                    out.append(f"{row['id']}: {token.group()}")
    return out


if __name__ == "__main__":
    rows = load_corpus()
    for label, redactor in (
        ("morphology redactor", method_spans),
        ("capitalised-word baseline", baseline_spans),
    ):
        for source in ("generated", "handwritten", None):
            subset = [r for r in rows if source is None or r["source"] == source]
            scores = evaluate(redactor, subset)
            print(
                f"{label:28} {source or 'all':12} n={scores.narratives:4} name tokens={scores.name_tokens:4} "
                f"recall={scores.recall:.3f} precision={scores.precision:.3f}"
            )
    if "-v" in sys.argv:
        print("missed:", *missed_names(rows), sep="\n  ")
        print("false positives:", *false_positives(rows), sep="\n  ")
