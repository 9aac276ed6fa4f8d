"""Every issue code crsvdata can report, in one table: what it means and how to fix it.

Codes are stable: a code never changes meaning and is never reused. Tests check that every code the
library can emit is listed here, and the documentation's issue-code page is generated from this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from crsvdata.findings import Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class IssueCode:
    """One issue code: its severity, a short title and how to fix the problem."""

    code: str
    severity: Severity
    title: str
    fix: str

    @property
    def raised_by_library(self) -> bool:
        """True for an error the library raises (a refused export, an unwritable output, a bad key...),
        false for an issue found in a document, which a conformance case can exercise."""
        return self.family in LIBRARY_ERROR_FAMILIES or self.code in _LIBRARY_ERROR_CODES

    @property
    def family(self) -> str:
        """The part before the first dot: input, document, schema, identifier, codelist, or an entity."""
        return self.code.split(".", 1)[0]


LIBRARY_ERROR_FAMILIES: Final = frozenset(
    {"library", "anonymise", "output", "disclosure", "upgrade", "primero", "kobo", "spreadsheet"}
)
"""Families of errors raised by the library rather than found in a crsvdata document (``primero``, ``kobo``:
what an importer finds in another system's export, which no conformance document can carry;
``spreadsheet``: what reading a workbook finds in its cells)."""
_LIBRARY_ERROR_CODES: Final = frozenset({"document.invalid", "codelist.unknown_list", "input.unreadable"})

_TABLE: Final[tuple[tuple[str, Severity, str, str], ...]] = (
    # Reading the input
    (
        "input.unreadable",
        E,
        "The input cannot be read",
        "Check the path and the file's permissions; the message says what failed.",
    ),
    ("input.empty", E, "The input is empty", "Give a file that contains a JSON document or JSON Lines."),
    (
        "input.invalid_utf8",
        E,
        "Not valid UTF-8",
        "Re-encode the file as UTF-8; the message gives the byte offset.",
    ),
    ("input.utf16", E, "UTF-16 input", "Save the file as UTF-8 (with or without a byte-order mark)."),
    (
        "input.not_json",
        E,
        "A mapping that is not JSON",
        "Give JSON-form data: strings for codes, days and date-times; no NaN; text keys only.",
    ),
    ("input.not_rows", E, "Not rows", "Give JSON objects: an array of them, one object, or JSON Lines."),
    ("input.json_syntax", E, "Invalid JSON", "Fix the JSON syntax at the line and column given."),
    ("input.truncated", E, "The JSON ends too early", "The file was cut off; export it again."),
    (
        "input.duplicate_key",
        E,
        "A key appears twice in one object",
        "Keep one value per key: parsers disagree on which wins.",
    ),
    (
        "input.non_finite_number",
        E,
        "NaN or Infinity",
        "JSON has no NaN or Infinity; leave the field out instead.",
    ),
    (
        "input.number_too_large",
        E,
        "A number is too large",
        "No crsvdata field takes numbers of that size; check the export.",
    ),
    (
        "input.lone_surrogate",
        E,
        "A string holds half of a character",
        "A \\uD800-\\uDFFF escape without its other half is not Unicode text; re-export the file as UTF-8.",
    ),
    (
        "input.too_deep",
        E,
        "Nested too deeply",
        "crsvdata documents nest only a few levels; the input is not one.",
    ),
    (
        "input.too_large",
        E,
        "The file is too large for one document",
        "Split the data into JSON Lines (one record per line).",
    ),
    (
        "input.line_too_long",
        E,
        "A JSON Lines line is too long",
        "One record per line; a line over 16 MiB is not a record.",
    ),
    ("input.not_found", E, "No such file", "Check the path."),
    ("input.is_directory", E, "The path is a directory", "Give the files inside it."),
    ("input.unreadable", E, "The file cannot be read", "Check the file's permissions."),
    (
        "input.csv_syntax",
        E,
        "The CSV cannot be read",
        "Give every row as many cells as the header; close quotes; remove NUL bytes.",
    ),
    (
        "input.duplicate_column",
        E,
        "The CSV header names a column twice",
        "Rename or remove one of the two columns: which cell counts would otherwise be a guess.",
    ),
    (
        "input.field_too_large",
        E,
        "A CSV cell is too long",
        "A table cell over 128 KiB is not a quasi-identifier; remove the column or shorten the cell.",
    ),
    # Recognising the document
    (
        "document.unknown_type",
        E,
        "Not a crsvdata document",
        "Give document_type, or the members of the kind: a case record has record_id, an identity record "
        "holder_organisation, a package package_id.",
    ),
    (
        "document.type_mismatch",
        E,
        "The document_type contradicts the members",
        "Give the document_type of the kind the document is, or leave document_type out.",
    ),
    (
        "document.wrong_kind",
        E,
        "A valid document of another kind",
        "The command reads case records (or a package of them); give it that kind of document.",
    ),
    # Structure (what the published JSON Schema checks), named after the JSON Schema keyword that fails
    ("schema.required", E, "A required member is missing", "Add the member named by the pointer."),
    (
        "schema.additional_properties",
        E,
        "An unexpected member",
        "Remove it, or check its spelling against the reference.",
    ),
    (
        "schema.type",
        E,
        "Wrong JSON type (or null)",
        "Give the type the reference says; leave a field out rather than null.",
    ),
    (
        "schema.enum",
        E,
        "Not a code of the code list",
        "Use a code from the list the field names (crsvdata codes show NAME).",
    ),
    (
        "schema.const",
        E,
        "Wrong fixed value",
        'Use the value the reference gives (e.g. standard_version "1.0").',
    ),
    (
        "schema.pattern",
        E,
        "Wrong format",
        "Write the value in the format the reference gives for this field.",
    ),
    (
        "schema.format",
        E,
        "Not a valid date or date-time",
        "Dates are YYYY-MM-DD; date-times need a UTC offset (Z or +02:00).",
    ),
    ("schema.min_length", E, "Text too short", "Give a non-empty value or leave the field out."),
    ("schema.max_length", E, "Text too long", "Shorten the value to the limit in the reference."),
    ("schema.min_items", E, "A list is empty", "Give at least one item, or leave an optional list out."),
    ("schema.max_items", E, "A list is too long", "Split the data; lists are capped at 1000 items."),
    ("schema.minimum", E, "Number too small", "Check the value against the reference's minimum."),
    ("schema.maximum", E, "Number too large", "Check the value against the reference's maximum."),
    (
        "schema.discriminator",
        E,
        "Unknown document type",
        "Use one of the document types the reference lists.",
    ),
    (
        "schema.any_of",
        E,
        "Matches none of the allowed forms",
        "Check the field's allowed forms in the reference.",
    ),
    (
        "schema.one_of",
        E,
        "Matches none, or more than one, of the allowed forms",
        "Check the field's allowed forms.",
    ),
    # Code lists
    (
        "codelist.deprecated",
        W,
        "A deprecated code",
        "Still valid; replace it with the code the code list recommends.",
    ),
    # Identifiers
    (
        "identifier.rnokpp_checksum",
        E,
        "RNOKPP check digit does not match",
        "Re-check the tax number against the document.",
    ),
    (
        "identifier.unzr_date",
        E,
        "UNZR holds an impossible date",
        "The first eight digits are the date of birth; re-check them.",
    ),
    (
        "identifier.unzr_check_digit",
        W,
        "UNZR check digit looks wrong",
        "The check-digit method is inferred, so this is only a warning.",
    ),
    (
        "identifier.phone_invalid",
        E,
        "Not a valid phone number",
        "Give the number in E.164 form, e.g. +380501234567.",
    ),
    (
        "identifier.phone_not_canonical",
        E,
        "Phone number not in canonical E.164",
        "Drop the national 0 after the country code.",
    ),
    (
        "identifier.katotth_structure",
        E,
        "KATOTTH levels are inconsistent",
        "A lower level is filled while a higher one is zero.",
    ),
    (
        "identifier.katotth_oblast",
        E,
        "KATOTTH oblast digits unknown",
        "The two digits after UA must be one of the 27 level-1 codes.",
    ),
    (
        "identifier.katotth_unknown",
        E,
        "KATOTTH code not in the codifier",
        "Well formed but not a unit of the vendored codifier edition (named in the message): check the code.",
    ),
    # Cross-field rules
    ("age.band_mismatch", E, "Exact age outside its band", "Correct the band or the exact age."),
    ("date.range_reversed", E, "Date range ends before it starts", "Swap or correct start and end."),
    (
        "location.katotth_subdivision_mismatch",
        E,
        "KATOTTH code in another oblast",
        "The KATOTTH code and the subdivision must name the same oblast.",
    ),
    (
        "location.subdivision_outside_ukraine",
        E,
        "Ukrainian subdivision for a place abroad",
        "Drop subdivision and KATOTTH, or set country UA.",
    ),
    (
        "location.control_status_country_mismatch",
        E,
        "Control status does not fit the country",
        "Use outside_ukraine exactly for places outside Ukraine.",
    ),
    (
        "incident.reported_before_incident",
        E,
        "Reported before it happened",
        "The report date cannot precede the incident.",
    ),
    (
        "incident.after_record",
        E,
        "Incident after the record",
        "The incident cannot start after the record was last updated.",
    ),
    (
        "incident.reported_after_record",
        E,
        "Reported after the record",
        "The report date cannot follow the record's last update.",
    ),
    (
        "incident.unknown_perpetrator_ref",
        E,
        "Act names an unknown perpetrator",
        "List the perpetrator in the incident, or fix the reference.",
    ),
    (
        "incident.duplicate_perpetrator_id",
        E,
        "Two perpetrators share an id",
        "Give each perpetrator its own perpetrator_id.",
    ),
    (
        "perpetrator.identified_without_category",
        E,
        "Identified perpetrator without category",
        "Record the perpetrator's category.",
    ),
    (
        "perpetrator.age_group_contradicts_minor",
        E,
        "Age group and minor flag disagree",
        "Correct the age group or the minor flag.",
    ),
    (
        "perpetrator.confidence_without_basis",
        E,
        "Identification confidence without basis",
        "Record what the identification rests on.",
    ),
    (
        "incident.gbvims_type_mismatch",
        W,
        "GBVIMS type contradicts the acts",
        "Use the type the GBVIMS elimination order gives for the acts.",
    ),
    (
        "qualification.unknown_code",
        E,
        "Crime not in the instrument",
        "Use a code of icc_eoc_crime or icc_related_crime, or of criminal_code_article.",
    ),
    (
        "qualification.part_outside_criminal_code",
        E,
        "Article part outside the Criminal Code",
        "Only a Criminal Code of Ukraine article has parts; drop part.",
    ),
    (
        "qualification.status_without_date",
        E,
        "Charge or conviction without a date",
        "Record status_on, the day of the charge or the conviction.",
    ),
    (
        "qualification.conflict_mismatch",
        E,
        "War crime of the other kind of conflict",
        "Use the provision for the incident's conflict classification.",
    ),
    (
        "qualification.unknown_perpetrator_ref",
        E,
        "Qualification names an unknown perpetrator",
        "List the perpetrator in the incident, or fix the reference.",
    ),
    (
        "detention.period_reversed",
        E,
        "Detention ends before it starts",
        "Correct held_from or held_until.",
    ),
    (
        "consent.recipient_missing",
        E,
        "Consent names no recipient",
        "Name a recipient organisation or a recipient category.",
    ),
    (
        "consent.recipient_ambiguous",
        E,
        "Consent names two recipients",
        "Record one consent per organisation or per category.",
    ),
    ("consent.withdrawn_before_given", E, "Consent withdrawn before given", "Correct the dates."),
    (
        "consent.withdrawn_not_granted",
        E,
        "A refusal cannot be withdrawn",
        "Only a granted consent has a withdrawal date.",
    ),
    (
        "consent.after_record",
        E,
        "Consent after the record",
        "A consent cannot be dated after the record's last update.",
    ),
    (
        "consent.minor_needs_guardian",
        E,
        "A child consented alone",
        "Record the guardian's consent, or the reason it was not sought.",
    ),
    ("referral.outcome_before_referral", E, "Outcome dated before the referral", "Correct the dates."),
    (
        "referral.outcome_date_without_outcome",
        E,
        "Outcome date without outcome",
        "Record the outcome, or remove its date.",
    ),
    (
        "referral.without_consent",
        W,
        "Referral without matching consent",
        "Record the survivor's referral consent for the receiving organisation.",
    ),
    (
        "proceeding.erdr_year_after_registration",
        E,
        "ERDR year after registration",
        "The ERDR number's year cannot follow the registration date.",
    ),
    (
        "proceeding.erdr_outside_ukraine",
        E,
        "ERDR number outside Ukrainian jurisdiction",
        "Only Ukrainian proceedings have an ERDR number.",
    ),
    ("proceeding.stage_before_registration", E, "Stage dated before registration", "Correct the dates."),
    (
        "proceeding.unknown_incident_ref",
        E,
        "Proceeding names an unknown incident",
        "Reference an incident_id of this record.",
    ),
    ("amount.not_positive", E, "Amount not positive", "Amounts are greater than zero."),
    ("reparation.decision_before_submission", E, "Decision before the claim", "Correct the dates."),
    ("reparation.payment_before_decision", E, "Payment before the decision", "Correct the dates."),
    ("reparation.payment_without_decision", E, "Payment without a decision", "Record the decision date."),
    ("record.updated_before_created", E, "Updated before created", "Correct created_at or updated_at."),
    ("record.duplicate_id", E, "Two entries share an id", "Give each entry of a list its own identifier."),
    # Importing Primero exports (crsvdata import primero): found in the input, reported per record and field
    # Reading spreadsheets (crsvdata unflatten, crsvdata validate cases.xlsx)
    (
        "spreadsheet.not_a_workbook",
        E,
        "Not a workbook",
        "Give an .xlsx file (not .xls, not renamed), or a folder of CSV files written by crsvdata flatten.",
    ),
    (
        "spreadsheet.encrypted",
        E,
        "The workbook is encrypted",
        "Save a copy without a password and give that.",
    ),
    (
        "spreadsheet.not_utf8",
        E,
        "The CSV file is not UTF-8",
        "Save it as 'CSV UTF-8' (Excel) or UTF-8 (LibreOffice).",
    ),
    ("spreadsheet.csv_syntax", E, "The CSV file is malformed", "Close every quote; export the sheet again."),
    (
        "spreadsheet.no_root_sheet",
        E,
        "No cases or identities sheet",
        "Keep the first sheet of the workbook crsvdata wrote, named 'cases' (or 'identities').",
    ),
    (
        "spreadsheet.identity_in_case_workbook",
        E,
        "Identity and case sheets in one workbook",
        "Keep identity records in a workbook of their own, apart from the case workbook.",
    ),
    (
        "spreadsheet.unknown_sheet",
        E,
        "A sheet the workbook's layout does not have",
        "Remove or rename the sheet; its rows cannot be placed in a record.",
    ),
    (
        "spreadsheet.unknown_heading",
        E,
        "A heading that is not a column of the sheet",
        "Use the headings crsvdata flatten writes (English, Ukrainian or the field's path).",
    ),
    ("spreadsheet.duplicate_heading", E, "Two columns with one heading", "Keep one column per heading."),
    (
        "spreadsheet.missing_key_column",
        E,
        "A sheet without the column that joins its rows to their parents",
        "Restore the id columns at the start of the sheet (record ID, incident ID...).",
    ),
    (
        "spreadsheet.merged_cells",
        E,
        "Merged cells",
        "Unmerge the cells: each row gives each of its values in its own cell.",
    ),
    (
        "spreadsheet.broken_join",
        E,
        "A row whose parent row does not exist",
        "Fix the id columns of the row so that they name an existing row of the parent sheet.",
    ),
    (
        "spreadsheet.duplicate_key",
        E,
        "Two rows with the same identifier",
        "Give each row its own identifier, so that the rows joined to it are not ambiguous.",
    ),
    (
        "spreadsheet.unknown_code",
        E,
        "A value that is not a code of the column's code list",
        "Pick the code from the cell's drop-down (the hidden sheet 'codelists' holds the lists).",
    ),
    (
        "spreadsheet.wrong_cell_type",
        E,
        "A cell of the wrong type (a number or date where text is expected, or text where a date is)",
        "Format the column as Text (or Date) and type the value again; Excel changed what was typed.",
    ),
    (
        "spreadsheet.bad_value",
        E,
        "A cell that cannot be read",
        "Give the value in the form the column asks for.",
    ),
    (
        "spreadsheet.value_too_long",
        E,
        "A value too long for a spreadsheet cell",
        "Shorten the value, or exchange the record as JSON instead of a workbook.",
    ),
    (
        "primero.wrong_type",
        E,
        "A Primero value of the wrong type",
        "The field's value is not of the JSON type its Primero field type gives; correct it in Primero.",
    ),
    (
        "primero.unknown_option",
        E,
        "An option id the Primero field does not have",
        "Use an option id of the field's lookup, or add a row for it to the mapping table.",
    ),
    (
        "primero.impossible_date",
        E,
        "An impossible Primero date",
        "The value is not a real calendar date or date-time; correct it in Primero.",
    ),
    (
        "primero.no_identifier",
        E,
        "A Primero record without an identifier",
        "Export the record with its id (or unique_id), so that it can be traced back.",
    ),
    (
        "primero.not_a_record",
        E,
        "Not a Primero record",
        "Each item must be a Primero record object (the API shape, or the exporter's {id, data}).",
    ),
    # Importing form submissions (crsvdata import kobo): found in the input, reported per submission
    (
        "kobo.unknown_question",
        W,
        "An answer to no question of the form",
        "The key or column names no question of the crsvdata form; its value is not imported. Export the "
        "submissions with XML names (not labels) and group names, from the form crsvdata generated.",
    ),
    (
        "kobo.not_a_choice",
        E,
        "An answer that is not a choice of the question",
        "Use a choice name of the form's list (export with XML values, not labels), or regenerate the form.",
    ),
    (
        "kobo.wrong_type",
        E,
        "An answer of the wrong type",
        "The answer is not of the question's type (a whole number, a date, a text, or a list for a repeat).",
    ),
    (
        "kobo.impossible_date",
        E,
        "An impossible date or time",
        "Dates are YYYY-MM-DD and real days; start and end are date-times with a UTC offset.",
    ),
    (
        "kobo.not_a_submission",
        E,
        "Not a form submission",
        "Give Kobo's JSON (the API's results, or a list of submissions) or its CSV export of the form.",
    ),
    (
        "kobo.unknown_form",
        E,
        "Submissions of another form",
        "The submissions answer neither the crsvdata case form nor its identity form.",
    ),
    (
        "kobo.time_from_server",
        W,
        "Record times taken from the server",
        "The submission has no start or end: created_at and updated_at are Kobo's _submission_time (UTC).",
    ),
    # Upgrading documents (crsvdata upgrade)
    (
        "upgrade.newer_version",
        E,
        "The document is newer than 1.1",
        "Use a crsvdata release that knows the document's version; an upgrade never goes backwards.",
    ),
    (
        "upgrade.unknown_version",
        E,
        "Unknown standard version",
        "Set standard_version to the version the document follows (1.0 or 1.1).",
    ),
    (
        "upgrade.invalid_document",
        E,
        "The document is not valid",
        "Run crsvdata validate on it and fix the issue at the pointer given, then upgrade.",
    ),
    # Standard 1.1: provenance, verification, affected persons, proceedings and reparations
    (
        "record.duplicate_of_missing",
        E,
        "Duplicate without the original",
        "Name the record this one duplicates in duplicate_of, or change the record status.",
    ),
    (
        "record.duplicate_of_unexpected",
        E,
        "duplicate_of on a record that is not a duplicate",
        "Set the record status to duplicate, or remove duplicate_of.",
    ),
    ("record.duplicate_of_self", E, "A record duplicates itself", "Name the other record in duplicate_of."),
    (
        "reported.recipient_missing",
        E,
        "Reported elsewhere, but not where",
        "Name the organisation or the category of body the case was reported to.",
    ),
    (
        "reported.recipient_ambiguous",
        E,
        "Reported elsewhere names two recipients",
        "Record one entry per organisation or per category.",
    ),
    (
        "consent.grant_not_recorded",
        W,
        "A grant without method or giver",
        "Record how and by whom consent was given; until then the grant authorises no sharing.",
    ),
    (
        "verification.verified_without_date",
        E,
        "Verified without a date",
        "Record the day the incident was verified: the UN report counts by verification period.",
    ),
    (
        "affected.duplicate_ref",
        E,
        "Two affected persons share a reference",
        "Give each affected person their own pseudonymous reference.",
    ),
    (
        "affected.is_survivor",
        E,
        "The survivor listed as an affected person",
        "Record the survivor only in survivor; give family members their own references.",
    ),
    (
        "proceeding.representative_type_without_representative",
        E,
        "Representative type without a representative",
        "Set represented to true, or remove the representative type.",
    ),
    (
        "proceeding.civil_claim_details_not_filed",
        E,
        "Civil claim details on a claim not filed",
        "Set filed to true, or remove the date and amount.",
    ),
    (
        "reparation.unknown_incident_ref",
        E,
        "Reparation claim refers to an unknown incident",
        "Refer only to incident_id values of this record.",
    ),
    (
        "reparation.rd4u_categories_outside_rd4u",
        E,
        "RD4U categories on a claim to another programme",
        "Give RD4U categories only on a claim whose programme is rd4u_claim.",
    ),
    (
        "reparation.law_4067_outside_programme",
        E,
        "A Law 4067-IX application on another programme",
        "Record the application on a claim under a Law No. 4067-IX programme.",
    ),
    (
        "reparation.law_4067_decision_before_application",
        E,
        "Commission decision before the application",
        "Correct the dates.",
    ),
    (
        "reparation.law_4067_register_date_without_entry",
        E,
        "State Register date without an entry",
        "Set state_register_entry to true, or remove the date.",
    ),
    (
        "package.identity_outside_referral",
        E,
        "Identity data outside a referral",
        "Identity records travel only in packages whose purpose is referral.",
    ),
    (
        "package.identity_without_case",
        E,
        "Identity record without its case",
        "Include the survivor's case record, or remove the identity record.",
    ),
    (
        "package.duplicate_record_id",
        E,
        "Two case records share a record_id",
        "Each record in a package needs its own record_id.",
    ),
    # Errors the library raises (crsvdata.errors): each exception class carries one of these codes.
    (
        "codelist.unknown_list",
        E,
        "No code list of that name",
        "See crsvdata codes list for the names of the code lists.",
    ),
    ("library.error", E, "crsvdata stopped", "Read the message; report it if it does not say what to fix."),
    (
        "library.missing_extra",
        E,
        "An optional part of crsvdata is used without its extra",
        "Install the extra the message names, e.g. pip install 'crsvdata[testing]'.",
    ),
    (
        "document.invalid",
        E,
        "The document is not valid",
        "Run crsvdata validate for every issue with its place.",
    ),
    (
        "library.unknown_version",
        E,
        "No schemas for that standard version",
        "Give a version the installed crsvdata packages (crsvdata schema export --help).",
    ),
    (
        "output.not_writable",
        E,
        "The output cannot be written",
        "Choose a folder you may write to, with enough space.",
    ),
    (
        "disclosure.table",
        E,
        "A count table cannot be built",
        "Check the dimensions and categories the message names.",
    ),
    (
        "disclosure.audit_limit",
        E,
        "The table is too large or too sparse to audit",
        "Publish fewer dimensions, a coarser period, or use --method cellkey.",
    ),
    (
        "disclosure.dp_parameter",
        E,
        "A differentially private table was asked for without a valid guarantee",
        "Give --epsilon as a finite number above 0 and --max-units-per-person of at least 1.",
    ),
    (
        "disclosure.dp_unavailable",
        E,
        "Differential privacy needs OpenDP, which is not installed",
        'Install the optional extra: pip install "crsvdata[dp]".',
    ),
    (
        "output.overwrites_input",
        E,
        "The output is one of the inputs",
        "Choose an output path that is not the input, the identity file or the key file (links count).",
    ),
    (
        "output.same_as_output",
        E,
        "Two outputs are the same file",
        "Give the export and its manifest different paths.",
    ),
    ("output.is_directory", E, "The output is a directory", "Give a file path inside the directory."),
    ("anonymise.error", E, "The export was refused", "Read the message: it names what stopped the export."),
    (
        "anonymise.key",
        E,
        "No usable pseudonymisation key",
        "Make a key with crsvdata keys new and pass it with --key-file.",
    ),
    (
        "anonymise.key_weak",
        E,
        "The pseudonymisation key is too short or not random",
        "Make a key with crsvdata keys new: a passphrase, a word or a pattern is not a key.",
    ),
    (
        "anonymise.key_file_mode",
        E,
        "Other users can read the key file",
        "Run chmod 600 on the key file, and make a new key if someone else may have copied it.",
    ),
    (
        "anonymise.key_demo",
        E,
        "The public demo key was used without --demo",
        "Make a real key with crsvdata keys new; pass --demo only to demonstrate on synthetic data.",
    ),
    (
        "anonymise.key_exists",
        E,
        "The key file already exists",
        "Choose a new path: crsvdata keys new never overwrites a key.",
    ),
    (
        "anonymise.profile",
        E,
        "The export profile is not valid",
        "Fix the profile file at the key the message names (docs: export profiles).",
    ),
    (
        "anonymise.consent_scope",
        E,
        "The recipient or consent scope does not allow this export",
        "Name the recipient organisation, or choose a profile that fits the consent.",
    ),
    (
        "anonymise.disclosure_risk",
        E,
        "The output would not meet the profile's thresholds",
        "Use fewer quasi-identifiers or coarser levels, or export more records.",
    ),
    (
        "anonymise.unknown_column",
        E,
        "A column the table does not have",
        "Check the spelling against the CSV header or the JSON members (dotted names reach inside).",
    ),
    (
        "anonymise.row_not_object",
        E,
        "A row of the table is not a JSON object",
        "Give JSON Lines of objects, or one JSON array of objects.",
    ),
    (
        "anonymise.threshold_not_met",
        E,
        "The table does not meet the k or l asked for",
        "Generalise or suppress the quasi-identifiers, or publish aggregates instead.",
    ),
    (
        "anonymise.l_without_sensitive",
        E,
        "--l needs a sensitive attribute",
        "Name the sensitive attribute(s) with --sensitive.",
    ),
    (
        "anonymise.invalid_input",
        E,
        "An input record is not valid",
        "Run crsvdata validate on the input and fix the lines it reports.",
    ),
    (
        "anonymise.empty_export",
        E,
        "No record may leave under the profile for this recipient",
        "Read the counts on stderr: check the recipient (--recipient) and the records' consents.",
    ),
)

ISSUE_CODES: Final[Mapping[str, IssueCode]] = {row[0]: IssueCode(*row) for row in _TABLE}
"""Issue code -> its description."""


def describe(code: str) -> IssueCode:
    """The catalogue entry of ``code``; raises ``KeyError`` for a code that does not exist."""
    return ISSUE_CODES[code]
