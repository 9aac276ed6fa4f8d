// Run the crsvdata conformance suite with ajv (JSON Schema draft 2020-12) and print one JSON verdict per
// file, as JSON Lines on stdout:
//
//   {"file": "valid/case-record.minimal.json", "schema": "case-record", "valid": true, "errors": []}
//   {"file": "invalid/...", "schema": "...", "valid": false, "errors": [{"keyword", "instancePath", "schemaPath", "params"}]}
//
// ajv runs with its default strict settings plus crsvdata's vocabulary (vocabulary.mjs).
//
// Usage (from this folder, after `npm ci`):
//
//   node run.mjs [--suite ../1.0.0] [--schemas ../../schemas/1.0.0] [--modules .] [FILE ...]
//
// --suite    the conformance folder holding valid/ and invalid/ (default: ../1.0.0 next to this script)
// --schemas  the folder holding the published *.schema.json files (default: the repository's schemas/1.0.0)
// --modules  a folder whose node_modules holds ajv and ajv-formats (default: this folder)
// FILE ...   files to check, relative to --suite (default: every valid/*.json and invalid/*.json)
//
// The schema of a file is named by its file name up to the first dot: "case-record.minimal.json" is checked
// against case-record.schema.json. The script reports; it does not judge. Compare its output with
// expected_errors.csv as conformance/README.md explains (the crsvdata test suite does exactly that).

import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { crsvdataVocabulary } from "./vocabulary.mjs";

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const options = {
    suite: join(here, "..", "1.0.0"),
    schemas: join(here, "..", "..", "schemas", "1.0.0"),
    modules: here,
    files: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--suite" || arg === "--schemas" || arg === "--modules") {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      options[arg.slice(2)] = resolve(argv[++i]);
    } else if (arg.startsWith("--")) {
      throw new Error(`unknown option ${arg}`);
    } else {
      options.files.push(arg);
    }
  }
  return options;
}

function suiteFiles(suite) {
  const files = [];
  for (const folder of ["valid", "invalid"]) {
    for (const name of readdirSync(join(suite, folder)).sort()) {
      if (name.endsWith(".json")) files.push(`${folder}/${name}`);
    }
  }
  return files;
}

function buildAjv(modules, schemasDir) {
  // ajv is CommonJS; load it from the folder given, so the packages may live outside this checkout.
  const require = createRequire(join(resolve(modules), "package.json"));
  const Ajv2020 = require("ajv/dist/2020").default;
  const addFormats = require("ajv-formats").default;
  // ajv's default strict settings, plus crsvdata's vocabulary of annotation keywords (vocabulary.mjs):
  // exactly the set-up docs/integrators/index.md gives integrators.
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  ajv.addVocabulary(crsvdataVocabulary);
  const ids = new Map();
  for (const name of readdirSync(schemasDir).sort()) {
    if (!name.endsWith(".schema.json")) continue;
    const schema = JSON.parse(readFileSync(join(schemasDir, name), "utf-8"));
    ajv.addSchema(schema);
    ids.set(name.slice(0, -".schema.json".length), schema.$id);
  }
  const versions = {
    ajv: require("ajv/package.json").version,
    "ajv-formats": require("ajv-formats/package.json").version,
  };
  return { ajv, ids, versions };
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const { ajv, ids, versions } = buildAjv(options.modules, options.schemas);
  const files = options.files.length ? options.files : suiteFiles(options.suite);
  process.stderr.write(`ajv ${versions.ajv}, ajv-formats ${versions["ajv-formats"]}: ${files.length} files\n`);
  for (const file of files) {
    const schemaName = basename(file).split(".")[0];
    const id = ids.get(schemaName);
    if (id === undefined) throw new Error(`${file}: no schema named ${schemaName}.schema.json`);
    const validate = ajv.getSchema(id);
    const document = JSON.parse(readFileSync(join(options.suite, file), "utf-8"));
    const valid = validate(document);
    const errors = (validate.errors ?? []).map(({ keyword, instancePath, schemaPath, params }) => ({
      keyword,
      instancePath,
      schemaPath,
      params,
    }));
    process.stdout.write(JSON.stringify({ file, schema: schemaName, valid, errors }) + "\n");
  }
}

main();
