"""The documented ajv set-up: default strict mode refuses crsvdata's keywords until the vocabulary is added.

Runs ajv (installed from npm into .cache/ by the conformance test's helper) on every published 1.1 schema
twice: plain ``new Ajv2020()`` must fail with ajv's unknown-keyword error (the wall integrators hit), and
the same with ``addVocabulary(crsvdataVocabulary)`` must compile every schema.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Final

import pytest

from tests.test_conformance import JS_FOLDER, NPM_PREFIX, REPOSITORY, _install_ajv

SCRIPT: Final = """
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
const [modules, schemas, vocabularyPath, useVocabulary] = process.argv.slice(1);
const require = createRequire(join(modules, "package.json"));
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const { crsvdataVocabulary } = await import(vocabularyPath);
const ajv = new Ajv2020();
addFormats(ajv);
if (useVocabulary === "yes") ajv.addVocabulary(crsvdataVocabulary);
const result = {};
for (const name of readdirSync(schemas).filter((n) => n.endsWith(".schema.json")).sort()) {
  try { ajv.compile(JSON.parse(readFileSync(join(schemas, name), "utf-8"))); result[name] = "ok"; }
  catch (error) { result[name] = String(error.message); }
}
console.log(JSON.stringify(result));
"""


def _compile_all(use_vocabulary: bool) -> dict[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to run ajv")
    _install_ajv(npm)
    args = [
        str(NPM_PREFIX),
        str(REPOSITORY / "schemas" / "1.1.0"),
        (JS_FOLDER / "vocabulary.mjs").as_uri(),
        "yes" if use_vocabulary else "no",
    ]
    done = subprocess.run(
        [node, "--input-type=module", "-e", SCRIPT, *args], capture_output=True, text=True, check=True
    )
    result: dict[str, str] = json.loads(done.stdout)
    return result


def test_default_strict_ajv_refuses_the_schemas_without_the_vocabulary() -> None:
    result = _compile_all(use_vocabulary=False)
    assert result
    assert all("strict mode: unknown keyword" in message for message in result.values())


def test_default_strict_ajv_compiles_every_schema_with_the_vocabulary() -> None:
    result = _compile_all(use_vocabulary=True)
    assert len(result) == 4  # case, identity, exchange package and anonymised case record
    assert set(result.values()) == {"ok"}


META_SCRIPT: Final = """
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
const [modules, schemas, vocabularyPath] = process.argv.slice(1);
const require = createRequire(join(modules, "package.json"));
const Ajv2020 = require("ajv/dist/2020").default;
const { crsvdataVocabulary, crsvdataMetaSchemaId, crsvdataVocabularyUri } = await import(vocabularyPath);
const ajv = new Ajv2020();
ajv.addVocabulary(crsvdataVocabulary);
const meta = JSON.parse(readFileSync(join(schemas, "meta", "vocabulary.schema.json"), "utf-8"));
ajv.addMetaSchema(meta);
const result = { id: meta.$id === crsvdataMetaSchemaId, uri: crsvdataVocabularyUri in meta.$vocabulary };
for (const name of readdirSync(schemas).filter((n) => n.endsWith(".schema.json")).sort()) {
  const schema = JSON.parse(readFileSync(join(schemas, name), "utf-8"));
  result[name] = ajv.validate(crsvdataMetaSchemaId, schema);
  const broken = structuredClone(schema);
  broken.properties.document_type.codelist = 5;  // a code list is named by a string
  result[name + " broken"] = ajv.validate(crsvdataMetaSchemaId, broken);
}
console.log(JSON.stringify(result));
"""


def test_ajv_checks_every_schema_against_the_published_meta_schema() -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to run ajv")
    _install_ajv(npm)
    args = [str(NPM_PREFIX), str(REPOSITORY / "schemas" / "1.1.0"), (JS_FOLDER / "vocabulary.mjs").as_uri()]
    done = subprocess.run(
        [node, "--input-type=module", "-e", META_SCRIPT, *args], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert result.pop("id") is True
    assert result.pop("uri") is True
    assert len(result) == 8
    assert {name: verdict for name, verdict in result.items() if verdict} == {
        name: True for name in result if not name.endswith(" broken")
    }
