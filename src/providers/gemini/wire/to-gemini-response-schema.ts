import { inlineSchemaRefs } from "./inline-schema-refs.js";

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The JSON Schema keywords `responseJsonSchema` takes (Gemini's structured-output subset); others are dropped. */
const KEPT = new Set([
  "type",
  "format",
  "title",
  "description",
  "enum",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "required",
  "propertyOrdering",
]);

const clean = (node: unknown): unknown => {
  if (!isRecord(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (KEPT.has(key)) out[key] = value;
    else if (key === "const" && node.enum === undefined) out.enum = [value];
    else if (key === "items" || (key === "additionalProperties" && isRecord(value))) out[key] = clean(value);
    else if (key === "additionalProperties" && typeof value === "boolean") out[key] = value;
    else if ((key === "anyOf" || key === "oneOf" || key === "prefixItems") && Array.isArray(value)) out[key === "oneOf" ? "anyOf" : key] = value.map(clean);
    else if (key === "properties" && isRecord(value)) out.properties = Object.fromEntries(Object.entries(value).map(([name, v]) => [name, clean(v)]));
  }
  return out;
};

/**
 * A `json_schema` response format's schema as Gemini's `responseJsonSchema`: plain JSON Schema, but
 * only the subset Gemini documents. References are inlined (so no `$defs` travels), `allOf` merged,
 * `oneOf` read as `anyOf`, `const` a one-value enum; `$schema`, `$id`, `default`, `examples`,
 * `pattern`, `exclusiveMinimum` and the like are dropped.
 */
export function toGeminiResponseSchema(schema: Record<string, unknown>): Record<string, unknown> {
  return clean(inlineSchemaRefs(schema)) as Record<string, unknown>;
}
