/**
 * Builds a sample object from a JSON schema's `properties`: string → "sample", number/integer → 1,
 * boolean → true, anything else → null (an `enum` wins with its first value). Type names match in
 * any case, for Gemini's "STRING". Used for tool-call arguments and json_schema answers, so
 * clients get JSON whose keys match what they declared.
 */
export function sampleFromSchema(schema: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (typeof schema !== "object" || schema === null) return result;
  const properties = (schema as { properties?: unknown }).properties;
  if (typeof properties !== "object" || properties === null) return result;
  for (const [key, property] of Object.entries(properties as Record<string, unknown>)) {
    result[key] = sampleValue(property);
  }
  return result;
}

function sampleValue(property: unknown): unknown {
  if (typeof property !== "object" || property === null) return null;
  const { type, enum: values } = property as { type?: unknown; enum?: unknown };
  if (Array.isArray(values) && values.length > 0) return values[0] as unknown;
  const declared: unknown = Array.isArray(type) ? type.find((t) => t !== "null" && t !== "NULL") : type;
  // Gemini's schema subset spells types in upper case ("STRING").
  const kind = typeof declared === "string" ? declared.toLowerCase() : declared;
  switch (kind) {
    case "string":
      return "sample";
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return true;
    default:
      return null;
  }
}
