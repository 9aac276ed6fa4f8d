"""``crsvdata anonymise``, ``crsvdata risk`` and ``crsvdata stats``: thin wrappers over the Python API.

Exit codes follow the rest of the CLI: 0 done, 1 the data do not allow it (invalid input, thresholds not
met), 2 usage error, unreadable input or no key. Errors name codes, fields and line numbers only; an
unexpected error is reported by its type alone, because its message could quote a record.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Final, NoReturn

import click

from crsvdata.aggregate.tables import TableOptions, statistics_file
from crsvdata.anonymise.consent import Recipient
from crsvdata.anonymise.errors import (
    AnonymisationError,
    ConsentScopeError,
    DisclosureRiskError,
    EmptyExportError,
    InvalidInputError,
    KeyMaterialError,
)
from crsvdata.anonymise.export import consent_day, export_file
from crsvdata.anonymise.keys import ENV_VAR, KeyRing, load_key_ring
from crsvdata.anonymise.manifest import Manifest
from crsvdata.anonymise.profiles import ExportProfile, profile_names
from crsvdata.cli._errors import exit_status, render_error
from crsvdata.cli._options import jobs_option
from crsvdata.codes.enums import RecipientCategory
from crsvdata.disclosure.risk import RiskReport, measure_risk
from crsvdata.errors import CrsvError
from crsvdata.io import InputError, OutputError, refuse_unsafe_outputs
from crsvdata.models.dimensions import DIMENSIONS

__all__ = ["anonymise_command", "risk_command", "stats_command"]

EXIT_OK: Final = 0
EXIT_REFUSED: Final = 1
EXIT_USAGE: Final = 2


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _run_safely(action: Callable[[], Any], source: Path | None = None, target: Path | None = None) -> Any:
    try:
        return action()
    except (InputError, OutputError) as exc:
        # Reading and writing problems are reported as validate reports them: where, code, message.
        click.echo(f"error: {render_error(source or '<input>', exc)}", err=True)
        sys.exit(exit_status(exc))
    except InvalidInputError as exc:
        # Its message already gives the line, the code and the pointer, as validate does.
        _fail(f"{source or '<input>'}: {exc}", EXIT_REFUSED)
    except EmptyExportError as exc:
        if exc.manifest is not None:
            _summarise(exc.manifest)
        _fail(f"{exc.code}: {exc}", EXIT_REFUSED)
    except DisclosureRiskError as exc:
        _fail(f"{exc.code}: {exc}", EXIT_REFUSED)
    except ConsentScopeError as exc:
        _fail(f"{exc.code}: {exc}", EXIT_USAGE)
    except AnonymisationError as exc:
        _fail(f"{exc.code}: {exc}", EXIT_USAGE)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        where = f"{target}: " if target is not None else ""
        _fail(f"{where}output.not_writable: cannot write the output ({reason})", EXIT_USAGE)
    except Exception as exc:
        _fail(
            f"library.error: internal error ({type(exc).__name__}); please report it without attaching data",
            EXIT_USAGE,
        )


def _guard_outputs(
    target: Path, manifest: Path | None, source: Path, identities: Path | None = None, key: Path | None = None
) -> None:
    """Exit 2 (an ``output.*`` code) before anything is read when an output would replace an input."""
    try:
        refuse_unsafe_outputs(
            {"OUT": target, "the manifest": manifest or target.with_name(target.name + ".manifest.json")},
            {"the input": source, "the identities file": identities, "the key file": key},
        )
    except OutputError as exc:
        _fail(f"{exc.code}: {exc.message}", EXIT_USAGE)


def _summarise(manifest: Manifest) -> None:
    """Exact counts for the operator's terminal (the manifest that travels protects small ones)."""
    excluded = ", ".join(f"{reason} {n}" for reason, n in sorted(manifest.excluded.items()) if n) or "none"
    click.echo(
        f"records in {manifest.records_in}, out {manifest.records_out}; excluded: {excluded}", err=True
    )
    named = manifest.operator_hints["consent.names_an_organisation"]
    if named:
        click.echo(
            f"hint: {named} excluded record(s) have a consent naming an organisation other than the "
            f"recipient ({manifest.recipient.label}); if it is the one you send to, pass --recipient ORG",
            err=True,
        )


def _load_keys(key_file: Path | None, *, demo: bool) -> KeyRing:
    """The key ring of a command, or exit 2 with the refusal's code (no key material, no traceback)."""
    try:
        return load_key_ring(key_file, demo=demo)
    except KeyMaterialError as exc:
        # The code names the refusal (weak key, file mode, demo key...); the message never holds key bytes.
        unset = key_file is None and not os.environ.get(ENV_VAR, "").strip()
        hint = f"; pass --key-file or set ${ENV_VAR} (there is no default key)" if unset else ""
        _fail(f"{exc.code}: no usable pseudonymisation key: {exc}{hint}", EXIT_USAGE)
    except Exception as exc:
        # Never a traceback: its text could quote the key file.
        _fail(
            f"anonymise.key: internal error reading the key ({type(exc).__name__}); please report it",
            EXIT_USAGE,
        )


def _recipient(organisation: str | None, category: str | None) -> Recipient | None:
    if organisation is None and category is None:
        return None
    try:
        return Recipient(organisation, RecipientCategory(category) if category else None)
    except ValueError as exc:
        _fail(str(exc), EXIT_USAGE)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


_recipient_options = [
    click.option("--recipient", "recipient_org", metavar="ORG", help="Organisation code of the recipient."),
    click.option(
        "--recipient-category",
        type=click.Choice([c.value for c in RecipientCategory]),
        help="Recipient category (default: the profile's).",
    ),
    click.option(
        "--on",
        "on",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Day on which consent must hold (default: today, UTC).",
    ),
]


def _with_recipient(function: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_recipient_options):
        function = option(function)
    return function


@click.command("anonymise")
@click.option(
    "--profile",
    "profile_name",
    required=True,
    metavar="NAME",
    help=f"Export profile: {', '.join(profile_names())}, or a profile file (.toml).",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Pseudonymisation key file (TOML). Without it, ${ENV_VAR} is read; there is no default key.",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Allow the public demo key (examples/keys/demo.key) and mark the manifest as a demo export.",
)
@click.option(
    "--identities",
    type=click.Path(path_type=Path),
    help="JSON Lines identity records: redacts narratives with each survivor's own names and numbers.",
)
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the manifest (default: OUT.manifest.json).",
)
@click.option(
    "--publisher", metavar="ORG", help="Publisher of a referral package (default: the records' source)."
)
@click.option(
    "--as-of-past",
    is_flag=True,
    help="Allow --on before today (aggregate profiles only; recorded in the manifest).",
)
@jobs_option(
    "exporting a JSON Lines file under a record-level profile (the output and the manifest are the same)"
)
@_with_recipient
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def anonymise_command(
    profile_name: str,
    key_file: Path | None,
    demo: bool,
    identities: Path | None,
    manifest_path: Path | None,
    publisher: str | None,
    as_of_past: bool,
    jobs: int,
    recipient_org: str | None,
    recipient_category: str | None,
    on: Any,
    source: Path,
    target: Path,
) -> None:
    """Export the case records of SOURCE (JSON Lines) under a profile to TARGET, with a manifest.

    Only records whose survivor consented to the profile's purpose for the recipient leave; record-level
    profiles need the recipient's organisation (--recipient) and evaluate consent as of today. The manifest
    (counts, levels, risk, key fingerprint; never a value or the key) is printed and written beside TARGET;
    the exact counts go to stderr. Exits 1 when no record may leave (nothing is written).
    """
    _guard_outputs(target, manifest_path, source, identities, key_file)
    keys = _load_keys(key_file, demo=demo)
    try:
        profile = ExportProfile.load(profile_name)
    except AnonymisationError as exc:
        _fail(str(exc), EXIT_USAGE)
    who = _recipient(recipient_org, recipient_category)
    asked: date | None = on.date() if on is not None else None
    day: date = _run_safely(lambda: consent_day(profile, asked, as_of_past=as_of_past))
    if profile.kind == "aggregates":
        manifest = _run_safely(
            lambda: statistics_file(
                source, target, profile, recipient=who, on=day, manifest_path=manifest_path
            ),
            source,
            target,
        )
        _summarise(manifest)
        click.echo(manifest.to_json(), nl=False)
        if manifest.records_out == 0:
            _fail("no record may leave under this profile for this recipient", EXIT_REFUSED)
        return
    manifest = _run_safely(
        lambda: export_file(
            source,
            target,
            profile,
            keys=keys,
            recipient=who,
            on=day,
            identities=identities,
            manifest_path=manifest_path,
            publisher=publisher,
            jobs=jobs or os.cpu_count() or 1,
        ),
        source,
        target,
    )
    _summarise(manifest)
    click.echo(manifest.to_json(), nl=False)


DEFAULT_K: Final = 5
"""k that ``crsvdata risk`` requires unless told otherwise: the IHSN/World Bank SDC guide's common
threshold and the ``research`` profile's."""


@click.command("risk")
@click.option("--qi", "qi", required=True, metavar="A,B,C", help="Quasi-identifier columns, comma-separated.")
@click.option("--sensitive", metavar="S[,T]", help="Sensitive attribute column(s), comma-separated.")
@click.option(
    "--k",
    "k_threshold",
    type=click.IntRange(min=1),
    default=DEFAULT_K,
    show_default=True,
    help="Exit 1 unless every class has at least K rows (--k 1 only measures).",
)
@click.option(
    "--l",
    "l_threshold",
    type=click.IntRange(min=1),
    default=None,
    help="Exit 1 unless every class has at least L distinct values of each sensitive attribute.",
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.argument("path", type=click.Path(path_type=Path))
def risk_command(
    qi: str, sensitive: str | None, k_threshold: int, l_threshold: int | None, output_format: str, path: Path
) -> None:
    """Measure k, l, t, sample uniques and global risk of a CSV (with a header), JSON Lines or JSON file.

    Exit 0 when the thresholds are met, 1 when not, 2 when the file or a column cannot be read. Dotted
    names reach into nested objects and map over lists (incidents.place: every incident's place).
    """
    sensitives = _split(sensitive) if sensitive else ()
    if l_threshold is not None and not sensitives:
        _fail("anonymise.l_without_sensitive: --l needs --sensitive", EXIT_USAGE)
    try:
        report = measure_risk(path, _split(qi), sensitives or None)
    except CrsvError as exc:
        click.echo(f"error: {render_error(path, exc)}", err=True)
        sys.exit(EXIT_USAGE)
    except RecursionError:
        # A value nested deeper than the reader's own limit allows cannot occur; kept as a last guard.
        _fail(f"{path}: /  error  input.too_deep  the JSON is nested too deeply", EXIT_USAGE)
    if output_format == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        _print_risk(report)
    problems = []
    if report.k < k_threshold:
        problems.append(f"k={report.k} < {k_threshold}")
    if l_threshold is not None and (report.l_distinct or 0) < l_threshold:
        problems.append(f"l={report.l_distinct or 0} < {l_threshold}")
    if problems:
        _fail(f"anonymise.threshold_not_met: {'; '.join(problems)}", EXIT_REFUSED)


def _print_risk(report: RiskReport) -> None:
    click.echo(f"records:          {report.records}")
    click.echo(f"quasi-identifiers: {', '.join(report.quasi_identifiers)}")
    click.echo(f"classes:          {report.classes}")
    click.echo(f"k:                {report.k}")
    click.echo(f"sample uniques:   {report.sample_uniques}")
    click.echo(f"records below 5:  {report.records_below(5)}")
    click.echo(f"global risk:      {report.global_risk:.4f}  (HDX publishes microdata below 0.03)")
    for name, figures in sorted(report.sensitive.items()):
        click.echo(
            f"{name}: l distinct {figures.l_distinct}, l entropy {figures.l_entropy:.3f}, "
            f"recursive (c,l) = ({figures.recursive_c},{figures.l_distinct}), t (equal distance) "
            f"{figures.t_closeness:.4f}"
        )


@click.command("stats")
@click.option(
    "--by", required=True, metavar="A,B", help=f"Dimensions, comma-separated: {', '.join(DIMENSIONS)}."
)
@click.option(
    "--threshold", type=click.IntRange(min=1), default=5, show_default=True, help="Smallest count shown."
)
@click.option("--unit", type=click.Choice(["survivors", "incidents", "acts"]), help="What is counted.")
@click.option("--period", type=click.Choice(["year", "quarter", "month"]), default="year", show_default=True)
@click.option("--hxl/--no-hxl", default=False, show_default=True, help="Add a row of HXL hashtags.")
@click.option(
    "--method",
    type=click.Choice(["suppression", "cellkey", "dp"]),
    default="suppression",
    show_default=True,
    help="Protect small cells by audited suppression, by cell-key perturbation (needs --key-file; "
    "resists differencing of repeated releases), or publish every count with differential privacy "
    "per person (OpenDP; needs crsvdata[dp]).",
)
@click.option(
    "--epsilon",
    type=float,
    default=1.0,
    show_default=True,
    help="--method dp: the privacy loss of this release per person (smaller: more noise).",
)
@click.option(
    "--max-units-per-person",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="--method dp: count at most this many units (acts, incidents) of one person; the rest are dropped.",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Key of cell-key perturbation (`crsvdata keys new`); keep it for every release of the series.",
)
@_with_recipient
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def stats_command(
    by: str,
    threshold: int,
    unit: str | None,
    period: str,
    hxl: bool,
    method: str,
    epsilon: float,
    max_units_per_person: int,
    key_file: Path | None,
    recipient_org: str | None,
    recipient_category: str | None,
    on: Any,
    source: Path,
    target: Path,
) -> None:
    """Count consenting records of SOURCE by dimensions into the CSV file TARGET, small cells suppressed.

    Records count only with a statistics consent that holds for the recipient (default: consent for any
    recipient, as for a public release). A manifest is written beside TARGET.
    """
    _guard_outputs(target, None, source, key=key_file)
    dimensions = _split(by)
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown:
        _fail(f"unknown dimension(s) {', '.join(unknown)}; choose from {', '.join(DIMENSIONS)}", EXIT_USAGE)
    who = _recipient(recipient_org, recipient_category)
    day: date | None = on.date() if on is not None else None
    keys = None
    if method == "cellkey":
        if key_file is None:
            _fail(
                "anonymise.key: cell-key perturbation needs --key-file (make one: crsvdata keys new)",
                EXIT_USAGE,
            )
        keys = _load_keys(key_file, demo=False)
    if method == "dp" and not (math.isfinite(epsilon) and epsilon > 0):
        _fail("disclosure.dp_parameter: --epsilon must be a finite number greater than 0", EXIT_USAGE)
    options = TableOptions(
        dimensions,
        threshold,
        unit,  # type: ignore[arg-type]
        period,
        hxl,
        method,  # type: ignore[arg-type]
        keys,
        epsilon,
        max_units_per_person,
    )
    manifest = _run_safely(
        lambda: statistics_file(source, target, "statistics", options=options, recipient=who, on=day),
        source,
        target,
    )
    document = manifest.to_dict()
    output = document["output"]
    if output["method"] == "cell_key_perturbation":
        protection = "every count perturbed by cell-key noise (at most 2)"
    elif output["method"] == "differential_privacy":
        protection = (
            f"every count with discrete Laplace noise of scale {output['noise_scale']:.3g} "
            f"(epsilon {output['privacy_loss']:.3g} per person, at most {output['max_units_per_person']} "
            f"units each; {output['units_dropped_by_bound']} units dropped by the bound)"
        )
    else:
        protection = (
            f"{output['suppressed_primary']} suppressed as small, "
            f"{output['suppressed_secondary']} to protect them (audited by integer programming)"
        )
    click.echo(
        f"{target}: {output.get('entries', 'all')} entries counting {output['unit']}, "
        f"{protection}; records counted {document['records']['out']}, "
        f"excluded {document['records']['excluded_total']}"
    )
