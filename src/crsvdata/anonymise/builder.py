"""Build one record's anonymised form from the profile's field rules, without its quasi-identifiers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from crsvdata.anonymise.generalise import (
    age_json,
    generalise_age,
    generalise_category,
    generalise_date,
    generalise_period,
    generalise_place,
)
from crsvdata.anonymise.inputs import IdentityIndex
from crsvdata.anonymise.manifest import Manifest
from crsvdata.anonymise.paths import canonical_json, output_value
from crsvdata.anonymise.profiles import ExportProfile, FieldRule
from crsvdata.anonymise.pseudonymise import Pseudonymiser
from crsvdata.anonymise.redact import KnownValues, redact_text
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.version import RECORD_STANDARD_VERSION

_MAX_NARRATIVE: Final = 20000
TALLY_KEY: Final = "__tally"
"""A private key of a spooled record: counts known only in the first pass, removed before writing."""

# --- the record builder -----------------------------------------------------------------------------


def value_levels(rule: FieldRule) -> tuple[str, ...]:
    return rule.levels if rule.transform == "generalise" else ("value",)


class RecordBuilder:
    """Builds one record's anonymised form (without quasi-identifiers) and their values at each level."""

    def __init__(
        self,
        profile: ExportProfile,
        pseudonymisers: Mapping[str, Pseudonymiser],
        identities: IdentityIndex | None,
        manifest: Manifest,
    ) -> None:
        self.profile = profile
        self.rules = profile.fields
        self.pseudonymisers = pseudonymisers
        self.identities = identities
        self.qis = profile.disclosure.quasi_identifiers
        self.qi_set = frozenset(self.qis)
        self.sensitive = profile.disclosure.sensitive

    # One value of a survivor field at one level.
    def _survivor(self, record: CaseRecord, name: str, level: str) -> Any:
        survivor = record.survivor
        if name == "age":
            return age_json(generalise_age(survivor.age_at_first_incident, level, self.profile.top_code_age))
        raw: Any
        if name == "sex":
            raw = survivor.sex.value
        elif name == "status":
            raw = survivor.status.value
        elif name == "role":
            raw = survivor.role.value
        elif name == "displacement_status":
            raw = survivor.displacement_status.value if survivor.displacement_status else None
        elif name == "disabilities":
            raw = [d.value for d in survivor.disabilities] if survivor.disabilities else None
        elif name == "nationality":
            raw = survivor.nationality.value if survivor.nationality else None
        else:
            raise AssertionError(name)
        return raw if level == "value" else generalise_category(raw, level)

    # One value of an incident field at one level.
    def _incident(self, incident: Any, name: str, level: str) -> Any:
        if name == "incident_ref":
            return incident.incident_id
        if name == "period":
            return generalise_period(incident.incident_date, level)
        if name == "reported_period":
            return generalise_date(incident.reported_on, level) if incident.reported_on else None
        if name == "place":
            return generalise_place(incident.location, level)
        if name == "control_status":
            value = incident.location.control_status.value
            return value if level == "value" else generalise_category(value, level)
        if name == "contexts":
            return [c.value for c in incident.contexts]
        if name == "acts":
            acts = []
            for act in sorted(incident.acts, key=lambda a: a.form.value):
                item: dict[str, Any] = {"form": act.form.value}
                if "incidents.acts.repeated" in self.rules and act.repeated is not None:
                    item["repeated"] = act.repeated
                if "incidents.acts.perpetrator_ids" in self.rules and act.perpetrator_ids:
                    item["perpetrator_ids"] = list(act.perpetrator_ids)
                acts.append(item)
            return acts
        if name == "perpetrators":
            return [p.to_json_dict() for p in incident.perpetrators] if incident.perpetrators else None
        if name == "conflict_nexus":
            return [c.value for c in incident.conflict_nexus] if incident.conflict_nexus else None
        if name == "verification_status":
            return incident.verification_status.value if incident.verification_status else None
        raise AssertionError(name)

    def _token(self, path: str, value: str, kind: str) -> str:
        rule = self.rules[path]
        mode = rule.mode or self.profile.pseudonym_mode
        return self.pseudonymisers[mode].token(value, kind, normalise_as="ref")

    def build(self, record: CaseRecord) -> tuple[dict[str, Any], list[tuple[str, ...]], list[str]]:
        """The anonymised record without its quasi-identifiers, their values per level, sensitive values."""
        rules = self.rules
        body: dict[str, Any] = {
            "standard_version": RECORD_STANDARD_VERSION,
            "profile": self.profile.name,
            "profile_version": self.profile.version,
        }
        qi_values: dict[str, tuple[str, ...]] = {}
        source = record.source_organisation
        if "record_ref" in rules:
            body["record_ref"] = self._token("record_ref", f"{source}\x1f{record.record_id}", "record")
        if "source_organisation" in rules:
            body["source_organisation"] = source
        survivor: dict[str, Any] = {}
        if "survivor.survivor_ref" in rules:
            survivor["survivor_ref"] = self._token(
                "survivor.survivor_ref", f"{source}\x1f{record.survivor.survivor_ref}", "survivor"
            )
        incidents: list[dict[str, Any]] = [{} for _ in record.incidents]
        for path, rule in rules.items():
            head, _, name = path.partition(".")
            if head == "survivor" and name != "survivor_ref":
                levels = value_levels(rule)
                if path in self.qi_set:
                    qi_values[path] = tuple(
                        canonical_json(self._survivor(record, name, level)) for level in levels
                    )
                    continue
                value = self._survivor(record, name, levels[0])
                if value is not None:
                    survivor[name] = value
            elif head == "incidents" and name.count(".") == 0 and name != "narrative":
                levels = value_levels(rule)
                if path in self.qi_set:
                    qi_values[path] = tuple(
                        canonical_json(
                            [self._incident(incident, name, level) for incident in record.incidents]
                        )
                        for level in levels
                    )
                    continue
                for target, incident in zip(incidents, record.incidents, strict=True):
                    value = self._incident(incident, name, levels[0])
                    if value is not None:
                        target[name] = value
        if "incidents.narrative" in rules:
            tally: dict[str, int] = {}
            self._narratives(record, incidents, rules["incidents.narrative"], tally)
            if tally:
                body[TALLY_KEY] = tally
        if "survivor" in {p.partition(".")[0] for p in rules}:
            body["survivor"] = survivor
        if any(p.startswith("incidents.") for p in rules):
            body["incidents"] = incidents
        if "proceedings" in rules and record.proceedings:
            body["proceedings"] = [self._proceeding(p) for p in record.proceedings]
        if "reparations" in rules and record.reparations:
            body["reparations"] = [self._reparation(c) for c in record.reparations]
        if "services" in rules and record.referrals:
            services = sorted(
                {(r.sector.value, r.outcome.value if r.outcome else "") for r in record.referrals}
            )
            body["services"] = [
                {"sector": sector, **({"outcome": outcome} if outcome else {})}
                for sector, outcome in services
            ]
        sensitive = [output_value(body, path) for path in self.sensitive]
        return body, [qi_values[path] for path in self.qis], sensitive

    def _date(self, path: str, day: date | None) -> str | None:
        if day is None or path not in self.rules:
            return None
        return generalise_date(day, self.rules[path].levels[0])

    def _proceeding(self, proceeding: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "proceeding_ref": proceeding.proceeding_id,
            "jurisdiction": proceeding.jurisdiction.value,
            "stage": proceeding.stage.value,
        }
        if "proceedings.erdr_number" in self.rules and proceeding.erdr_number:
            out["erdr_number"] = proceeding.erdr_number
        self._put_dates(
            out,
            (
                ("registered", "proceedings.registered", proceeding.registered_on),
                ("stage_period", "proceedings.stage_period", proceeding.stage_on),
            ),
        )
        if "proceedings.articles" in self.rules and proceeding.articles:
            out["articles"] = [a.value for a in proceeding.articles]
        if "proceedings.incident_refs" in self.rules:
            out["incident_refs"] = list(proceeding.incident_ids)
        return out

    def _put_dates(self, out: dict[str, Any], fields: tuple[tuple[str, str, Any], ...]) -> None:
        # Each (output key, profile path, day): the profile's transform decides whether and how it leaves.
        for key, path, day in fields:
            value = self._date(path, day)
            if value is not None:
                out[key] = value

    def _reparation(self, claim: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "claim_ref": claim.claim_id,
            "programme": claim.programme.value,
            "status": claim.status.value,
        }
        self._put_dates(
            out,
            (
                ("submitted", "reparations.submitted", claim.submitted_on),
                ("decided", "reparations.decided", claim.decision_on),
            ),
        )
        if "reparations.forms" in self.rules and claim.forms:
            out["forms"] = [f.value for f in claim.forms]
        amounts = "reparations.amounts" in self.rules
        if amounts and claim.awarded is not None:
            out["awarded"] = claim.awarded.to_json_dict()
        payments = []
        for payment in claim.payments or ():
            item: dict[str, Any] = {}
            paid = self._date("reparations.payments.paid", payment.paid_on)
            if paid is not None:
                item["paid"] = paid
            if amounts:
                item["amount"] = payment.amount.to_json_dict()
            if item:
                payments.append(item)
        if payments:
            out["payments"] = payments
        return out

    def _narratives(
        self, record: CaseRecord, incidents: list[dict[str, Any]], rule: FieldRule, tally: dict[str, int]
    ) -> None:
        known: KnownValues | None = None
        identities: list[IdentityRecord] = []
        if self.identities is not None:
            identities = self.identities.get_all(record.source_organisation, record.survivor.survivor_ref)
        for target, incident in zip(incidents, record.incidents, strict=True):
            if incident.narrative is None:
                continue
            if not identities:
                # Without the survivor's own names and numbers, detectors alone miss names: withhold.
                tally["suppressed:incidents.narrative"] = tally.get("suppressed:incidents.narrative", 0) + 1
                continue
            if known is None:
                known = KnownValues.merged(KnownValues.from_identity(i) for i in identities)
            result = redact_text(incident.narrative, known, rule.detectors, fallback=rule.fallback)
            if not result.text.strip() or len(result.text) > _MAX_NARRATIVE:
                tally["suppressed:incidents.narrative"] = tally.get("suppressed:incidents.narrative", 0) + 1
                continue
            for kind, count in result.counts.items():
                tally[f"redacted:{kind}"] = tally.get(f"redacted:{kind}", 0) + count
            target["narrative_redacted"] = result.text
