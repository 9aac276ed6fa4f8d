"""Every target of issues 14 and 6, each on its own row with its own threshold, judged from this run's rows.

A target measured on fewer records than it names is still judged, and the verdict says on how many: a
short run must not read as the full one. A row that is missing (a peer not installed, a step not run) is
"not measured", never met. A process stopped at the time limit gives bounds: its rate is at most the
records over the limit, so a bound below the threshold is "NOT met", one above it "not measured"; its
peak memory is at least what was seen, so a peak over the limit is "NOT met", one under it proves nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from harness import Row

FULL = 1_000_000
MEMORY_LIMIT_MB = 150
STARTUP_LIMIT_SECONDS = 0.1
API_TARGET = 0.3


@dataclass(frozen=True)
class Check:
    issue: str
    target: str
    figure: str
    met: bool | None
    records: int | None = None
    """How many records the figure was measured on, when the target names a count and this is fewer."""

    @property
    def verdict(self) -> str:
        text = "not measured" if self.met is None else "met" if self.met else "NOT met"
        if self.met is not None and self.records is not None and self.records < FULL:
            text += f" (on {self.records:,} records only; the target is on {FULL:,})"
        return text


def checks(rows: list[Row], baseline: float) -> list[Check]:
    by_key = {row.key: row for row in rows if row.seconds}

    def ratio_check(issue: str, target: str, key: str, threshold: float, counted: bool) -> Check:
        row = by_key.get(key)
        if row is None:
            return Check(issue, target, "", None)
        ratio = row.rate / baseline
        records = row.records if counted else None
        if not row.finished:
            return Check(
                issue, target, f"< {ratio:.3f} (stopped)", False if ratio < threshold else None, records
            )
        return Check(issue, target, f"{ratio:.3f}", ratio >= threshold, records)

    def memory_check(target: str, keys: tuple[str, ...]) -> Check:
        measured = [by_key[key] for key in keys if key in by_key and by_key[key].peak_mb is not None]
        if not measured:
            return Check("14", target, "", None)
        worst = max(measured, key=lambda row: row.peak_mb or 0.0)
        assert worst.peak_mb is not None
        at_least = "" if worst.finished else ">= "
        figure = f"{at_least}{worst.peak_mb:.0f} MB RSS ({worst.peak_pss_mb or 0:.0f} MB PSS), {worst.key}"
        met: bool | None = worst.peak_mb < MEMORY_LIMIT_MB
        if met and not all(row.finished for row in measured):
            met = None
        # Memory grows with the records, so the largest finished run is what the target is judged at.
        judged_at = max((r.records for r in measured if r.finished), default=worst.records)
        return Check("14", target, figure, met, judged_at)

    startup = by_key.get("startup")
    out = [
        ratio_check("14", f"Python API `validate(path)`, one core >= {API_TARGET}", "api", API_TARGET, False),
        ratio_check(
            "14", "the same, rules compiled with mypyc (`make accelerate`) >= 0.3", "api-compiled", 0.3, False
        ),
        ratio_check("14", "CLI `validate --jobs 0`, wall clock incl. start-up >= 0.5", "cli", 0.5, True),
        ratio_check("14", "CLI `validate --jobs 0` >= 0.6 (the goal)", "cli", 0.6, True),
        ratio_check("14", "CLI `validate --jobs 0` with 1% invalid records >= 0.3", "cli-invalid", 0.3, True),
        Check(
            "14",
            f"`crsvdata validate` starts in under {STARTUP_LIMIT_SECONDS} s (a file of 3 records)",
            f"{startup.seconds:.3f} s" if startup else "",
            startup.seconds < STARTUP_LIMIT_SECONDS if startup else None,
        ),
        ratio_check("14", "`anonymise --profile research` >= 0.1", "anonymise", 0.1, False),
        ratio_check("14", "the same, one survivor per record >= 0.1", "anonymise-persons", 0.1, False),
        ratio_check("14", "the same, `--jobs 0` (all cores) >= 0.1", "anonymise-jobs", 0.1, False),
        _risk_check(
            by_key,
            "14",
            "`measure_risk` 1,000,000 x 5 (+1) < 1.5 s, pure Python, identical report",
            lambda risk, _pandas: risk.seconds < 1.5,
        ),
        memory_check(
            f"peak memory < {MEMORY_LIMIT_MB} MB, `validate` (file, 1% invalid, stdin)",
            ("cli", "cli-invalid", "cli-stdin"),
        ),
        memory_check(
            f"peak memory < {MEMORY_LIMIT_MB} MB, `anonymise` (whole-data search included)",
            ("anonymise", "anonymise-persons", "anonymise-jobs", "anonymise-memory"),
        ),
    ]
    out.append(_against_jsonschema_rs(by_key, baseline))
    out.append(ratio_check("6", "`anonymise --profile research` >= 0.25", "anonymise", 0.25, False))
    out.append(
        _risk_check(
            by_key,
            "6",
            "`measure_risk` 1,000,000 x 5 < 3 s and not slower than pandas groupby",
            lambda risk, pandas: risk.seconds < 3 and pandas is not None and risk.seconds <= pandas.seconds,
            needs_pandas=True,
        )
    )
    return out


def _against_jsonschema_rs(by_key: dict[str, Row], baseline: float) -> Check:
    target = "CLI `validate` >= 0.6 and faster than jsonschema-rs on one core"
    cli, rs = by_key.get("cli"), by_key.get("jsonschema-rs")
    if cli is None or rs is None:
        return Check("6", target, "", None)
    ours, theirs = cli.rate / baseline, rs.rate / baseline
    met: bool | None = ours >= 0.6 and ours > theirs
    if not cli.finished:
        met = False if ours < 0.6 or ours <= theirs else None
    below = "" if cli.finished else "< "
    return Check("6", target, f"{below}{ours:.3f} vs {theirs:.3f}", met, cli.records)


def _risk_check(
    by_key: dict[str, Row],
    issue: str,
    target: str,
    fast_enough: Callable[[Row, Row | None], bool],
    needs_pandas: bool = False,
) -> Check:
    risk, pandas = by_key.get("risk"), by_key.get("pandas")
    if risk is None or (needs_pandas and pandas is None):
        return Check(issue, target, "", None)
    figure = f"{risk.seconds:.2f} s"
    if needs_pandas and pandas is not None:
        figure += f" vs pandas {pandas.seconds:.2f} s"
    if not needs_pandas:
        figure += f"; identical report: {'yes' if risk.identical else 'no'}"
    return Check(issue, target, figure, fast_enough(risk, pandas) and bool(risk.identical))


def rules_headroom(rows: list[Row], baseline: float) -> str:
    """What the rules may cost per record if the one-core API is to reach its target, from the ceiling row.

    The rows ``api`` (everything) and ``api-no-rules`` (the rules skipped) give the cost of one record in
    units of one ``orjson.loads``; their difference is what the rules cost today, and the target's cost
    less the ceiling's is what they may cost. Empty when either row is missing.
    """
    by_key = {row.key: row for row in rows if row.seconds}
    api, ceiling = by_key.get("api"), by_key.get("api-no-rules")
    if api is None or ceiling is None:
        return ""
    units_all, units_without = baseline / api.rate, baseline / ceiling.rate
    budget = 1 / API_TARGET - units_without
    verdict = (
        f"the rules may cost at most {budget:.2f} units for {API_TARGET}"
        if budget > 0
        else f"no rule engine, however fast, reaches {API_TARGET}: all but the rules already costs more"
    )
    return (
        f"Headroom for the rules (Python API, one core): with the rules skipped the API reaches "
        f"{ceiling.rate / baseline:.3f} ({units_without:.2f} orjson units a record); the rules cost "
        f"{units_all - units_without:.2f} units today; {verdict}."
    )


def render_checks(checks: list[Check]) -> str:
    lines = [
        "## Verdict of this run",
        "",
        "| issue | target | figure | verdict |",
        "| --- | --- | ---: | --- |",
    ]
    lines += [f"| {c.issue} | {c.target} | {c.figure} | {c.verdict} |" for c in checks]
    return "\n".join(lines)
