"""Person-name recall and token precision on the labelled synthetic corpus
(``tests/data/redaction/narratives.jsonl``, built by ``tools/make_redaction_corpus.py``), against the
capitalised-word baseline. The floors are the values reached when the corpus was made, rounded down."""

from __future__ import annotations

import pytest

from redaction_evaluation import baseline_spans, evaluate, load_corpus, method_spans

ROWS = load_corpus()


def test_the_corpus_is_big_enough_and_has_a_handwritten_part() -> None:
    assert len(ROWS) >= 150
    assert sum(row["source"] == "handwritten" for row in ROWS) >= 30


@pytest.mark.parametrize(
    ("source", "recall_floor", "precision_floor"),
    [("generated", 0.99, 0.98), ("handwritten", 0.98, 0.95), (None, 0.99, 0.98)],
)
def test_name_recall_and_token_precision(
    source: str | None, recall_floor: float, precision_floor: float
) -> None:
    rows = [row for row in ROWS if source is None or row["source"] == source]
    method = evaluate(method_spans, rows)
    baseline = evaluate(baseline_spans, rows)
    assert method.recall >= recall_floor
    assert method.precision >= precision_floor
    assert method.precision > baseline.precision + 0.2
