#!/usr/bin/env sh
# The demo of `make demo`: the crsvdata command on the bundled synthetic examples, in under 40 lines.
# CRSVDATA names the command to run (make passes .venv/bin/crsvdata); outputs go to a fresh temporary folder.
set -eu
cd "$(dirname "$0")/.."
crsv=${CRSVDATA:-crsvdata}
out=$(mktemp -d "${TMPDIR:-/tmp}/crsvdata-demo.XXXXXX")

echo "== crsvdata validate: the bundled synthetic examples =="
"$crsv" validate examples/cases/*.json examples/packages/*.json examples/synthetic/*.jsonl

echo "== crsvdata validate: deliberately broken examples =="
# Exit code 1 means "read, and invalid": what these files must give. Any other code fails the demo.
status=0
"$crsv" validate examples/broken/*.json || status=$?
if [ "$status" -ne 1 ]; then
  echo "demo FAILED: validating the broken examples should exit 1 (invalid), it exited $status" >&2
  exit 1
fi
echo "-> exit code 1 (invalid), as expected"

echo "== crsvdata summary (top 3 forms of violence) =="
"$crsv" summary --top 3 examples/synthetic/case-records.jsonl

echo "== crsvdata anonymise --profile research (public DEMO key: never for real data) =="
# The exact counts go to stderr (shown); the manifest, also printed on stdout, is written to a file.
"$crsv" anonymise --profile research --demo --key-file examples/keys/demo.key \
  --recipient synth_research_unit --manifest "$out/research.manifest.json" \
  examples/synthetic/case-records.jsonl "$out/research.jsonl" 2>&1 >/dev/null
echo "-> $(wc -l < "$out/research.jsonl" | tr -d ' ') records in research.jsonl; the manifest (what was removed and why, marked DEMO EXPORT) in research.manifest.json"

echo "== crsvdata stats: acts by form of violence and sex, small cells protected =="
"$crsv" stats --by form_of_violence,sex examples/synthetic/case-records.jsonl "$out/table.csv"

echo "== crsvdata flatten, validate: the synthetic records as a workbook (Ukrainian headings), checked =="
"$crsv" flatten --lang uk examples/synthetic/case-records.jsonl "$out/cases.xlsx"
"$crsv" validate "$out/cases.xlsx"

echo "== crsvdata form xlsform, import kobo: the field form, and its bundled submissions back as records =="
"$crsv" form xlsform "$out/case-form.xlsx"
"$crsv" import kobo examples/kobo/case-submissions.json --out "$out/kobo-cases.jsonl"

echo "== done: outputs in $out =="
