// The keywords crsvdata's schemas add to JSON Schema 2020-12, as ajv keyword definitions.
//
// All three are annotations: they never make a document valid or invalid, so they have no validation
// code. Declaring them lets ajv keep its default strict mode, which refuses any *other* unknown keyword:
//
//   import Ajv2020 from "ajv/dist/2020.js";
//   import addFormats from "ajv-formats";
//   import { crsvdataVocabulary } from "./vocabulary.mjs";
//
//   const ajv = new Ajv2020({ allErrors: true });   // default strict settings
//   addFormats(ajv);
//   ajv.addVocabulary(crsvdataVocabulary);
//
// - codelist:      the crsvdata code list a member's values come from (closed lists are also an enum);
// - openCodelist:  an open code list: its codes are recommended, a partner's own slug is also valid;
// - discriminator: the OpenAPI annotation pydantic writes next to oneOf; the oneOf alone decides validity.
//
// The published meta-schema schemas/1.1.0/meta/vocabulary.schema.json (its $id is crsvdataMetaSchemaId)
// declares codelist and openCodelist as the vocabulary crsvdataVocabularyUri, optional because they are
// annotations. The document schemas keep "$schema" = the standard 2020-12 dialect, so ajv never has to
// fetch it; to check the keywords' form, add it and validate a schema against it:
//
//   ajv.addMetaSchema(JSON.parse(readFileSync("schemas/1.1.0/meta/vocabulary.schema.json", "utf-8")));
//   ajv.validate(crsvdataMetaSchemaId, schema);   // true for every published schema
export const crsvdataVocabularyUri = "https://crsvdata.github.io/crsvdata/schemas/1.1.0/vocab/codelists";
export const crsvdataMetaSchemaId =
  "https://crsvdata.github.io/crsvdata/schemas/1.1.0/meta/vocabulary.schema.json";
export const crsvdataVocabulary = [
  { keyword: "codelist", schemaType: "string", metaSchema: { type: "string" } },
  { keyword: "openCodelist", schemaType: "string", metaSchema: { type: "string" } },
  { keyword: "discriminator", schemaType: "object" },
];
