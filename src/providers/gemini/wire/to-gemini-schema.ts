import { inlineSchemaRefs } from "./inline-schema-refs.js";

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Keywords of Gemini's Schema (a subset of OpenAPI 3.0) copied as they are. */
const PLAIN_KEYS: readonly string[] = [
  "title",
  "description",
  "nullable",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "minProperties",
  "maxProperties",
  "minimum",
  "maximum",
  "pattern",
  "example",
  "default",
  "propertyOrdering",
];

/** The `format` values Gemini accepts, per type; it answers 400 to others (`email`, `uri`, `uuid`, …). */
const FORMATS: Readonly<Record<string, ReadonlySet<string>>> = {
  string: new Set(["enum", "date-time"]),
  number: new Set(["float", "double"]),
  integer: new Set(["int32", "int64"]),
};

const convertType = (type: unknown, out: Json): void => {
  if (typeof type === "string") {
    if (type === "null") out.nullable = true;
    else out.type = type;
    return;
  }
  if (!Array.isArray(type)) return;
  const types = type.filter((item): item is string => typeof item === "string");
  if (types.includes("null")) out.nullable = true;
  const others = types.filter((item) => item !== "null");
  if (others.length === 1) out.type = others[0];
  else if (others.length > 1) out.anyOf = others.map((item) => ({ type: item }));
};

const convert = (schema: Json): Json => {
  const out: Json = {};
  convertType(schema.type, out);
  for (const key of PLAIN_KEYS) if (schema[key] !== undefined) out[key] = schema[key];

  const type = typeof out.type === "string" ? out.type.toLowerCase() : undefined;
  const format = schema.format;
  if (typeof format === "string" && type !== undefined && FORMATS[type]?.has(format)) out.format = format;

  const values = Array.isArray(schema.enum) ? schema.enum : schema.const !== undefined ? [schema.const] : undefined;
  if (values !== undefined) {
    if (values.includes(null)) out.nullable = true;
    const kept = values.filter((value) => value !== null);
    if (type === undefined || type === "string") out.enum = kept.map((value) => (typeof value === "string" ? value : JSON.stringify(value)));
    else if (kept.length > 0) {
      // Gemini takes enums of strings only: a number or boolean enum is told in words instead.
      const said = `One of: ${kept.map((value) => JSON.stringify(value)).join(", ")}.`;
      out.description = typeof out.description === "string" && out.description !== "" ? `${out.description} ${said}` : said;
    }
  }

  if (isRecord(schema.properties)) {
    const properties: Json = {};
    for (const [name, value] of Object.entries(schema.properties)) properties[name] = isRecord(value) ? convert(value) : {};
    out.properties = properties;
  }
  if (Array.isArray(schema.required)) out.required = schema.required.filter((name) => typeof name === "string");
  if (isRecord(schema.items)) out.items = convert(schema.items);

  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (alternatives !== undefined) {
    const nonNull = alternatives.filter((item) => !(isRecord(item) && item.type === "null"));
    if (nonNull.length < alternatives.length) out.nullable = true;
    const converted = nonNull.filter(isRecord).map(convert);
    // `anyOf: [X, {type: null}]` is how JSON Schema spells an optional X.
    if (converted.length === 1 && out.type === undefined) Object.assign(out, converted[0]);
    else if (converted.length > 0) out.anyOf = converted;
  }
  return out;
};

/**
 * A tool's JSON Schema as the `parameters` Schema of a Gemini function declaration. Gemini
 * takes only an OpenAPI 3.0 subset and answers 400 to unknown keywords, so local `$ref`s are
 * inlined and `allOf` merged first (inlineSchemaRefs), then the keywords it knows are kept and the
 * rest (`$schema`, `additionalProperties`, `examples`, `exclusiveMinimum`, …) dropped; `format`
 * only where Gemini knows it, `type: [T, "null"]` and null enum members become `nullable`, `const`
 * a one-value enum, a non-string enum words in the description. An object schema with no
 * properties gives undefined: Gemini refuses an empty OBJECT, and a function without
 * parameters says the same thing.
 */
export function toGeminiSchema(schema: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (schema === undefined) return undefined;
  const converted = convert(inlineSchemaRefs(schema));
  const isObject = typeof converted.type === "string" && converted.type.toLowerCase() === "object";
  const properties = converted.properties;
  if (isObject && (!isRecord(properties) || Object.keys(properties).length === 0)) return undefined;
  return converted;
}
