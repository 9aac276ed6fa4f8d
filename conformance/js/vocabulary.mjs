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
export const crsvdataVocabulary = [
  { keyword: "codelist", schemaType: "string", metaSchema: { type: "string" } },
  { keyword: "openCodelist", schemaType: "string", metaSchema: { type: "string" } },
  { keyword: "discriminator", schemaType: "object" },
];
