type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Deeper than this, or a reference to itself, stops inlining: what SDKs emit for recursive models. */
const MAX_REF_DEPTH = 8;

/** Keywords whose value is one schema, and those whose value is a list or a map of schemas. */
const ONE = ["items", "additionalProperties", "not", "contains"];
const LIST = ["anyOf", "oneOf", "allOf", "prefixItems"];
const MAP = ["properties", "patternProperties"];

/**
 * A JSON Schema with every local `$ref` (`#/$defs/Name`, `#/definitions/Name`, as pydantic and
 * zod-to-json-schema write them) replaced by the schema it names, and `allOf` merged into its
 * parent, so the result stands alone without `$defs`. Keys beside a `$ref` (a field's description
 * or default) win over the definition's. A recursive or unresolvable reference becomes a bare
 * `{ type: "object" }` (with the reference's own description), since Gemini cannot express one.
 */
export function inlineSchemaRefs(root: Json): Json {
  const defs: Json = { ...(isRecord(root.definitions) ? root.definitions : {}), ...(isRecord(root.$defs) ? root.$defs : {}) };

  const resolve = (node: unknown, stack: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((item) => resolve(item, stack));
    if (!isRecord(node)) return node;
    let current: Json = node;
    let path = stack;
    if (typeof current.$ref === "string") {
      const { $ref, ...siblings } = current;
      const name = /^#\/(?:\$defs|definitions)\/(.+)$/.exec($ref)?.[1];
      const target = name === undefined ? undefined : defs[decodePointer(name)];
      if (name === undefined || !isRecord(target) || stack.includes(name) || stack.length >= MAX_REF_DEPTH) {
        return { type: "object", ...(typeof siblings.description === "string" ? { description: siblings.description } : {}) };
      }
      current = { ...target, ...siblings };
      path = [...stack, name];
    }
    const out: Json = {};
    for (const [key, value] of Object.entries(current)) {
      if (key === "$defs" || key === "definitions") continue;
      if (ONE.includes(key)) out[key] = resolve(value, path);
      else if (LIST.includes(key) && Array.isArray(value)) out[key] = value.map((item) => resolve(item, path));
      else if (MAP.includes(key) && isRecord(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, path)]));
      else out[key] = value;
    }
    return Array.isArray(out.allOf) ? mergeAllOf(out) : out;
  };

  return resolve(root, []) as Json;
}

/** `allOf: [A, B]` beside keys K → one schema: properties and required united, other keys first come first kept (K first). */
function mergeAllOf(schema: Json): Json {
  const { allOf, ...rest } = schema as Json & { allOf: unknown[] };
  const out: Json = { ...rest };
  for (const part of allOf) {
    if (!isRecord(part)) continue;
    for (const [key, value] of Object.entries(part)) {
      if (key === "properties" && isRecord(value)) out.properties = { ...value, ...(isRecord(out.properties) ? out.properties : {}) };
      else if (key === "required" && Array.isArray(value)) out.required = [...new Set([...(Array.isArray(out.required) ? out.required : []), ...value])];
      else if (!(key in out)) out[key] = value;
    }
  }
  return out;
}

/** JSON Pointer escapes in a definition's name (`~1` is "/", `~0` is "~"). */
function decodePointer(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");
}
