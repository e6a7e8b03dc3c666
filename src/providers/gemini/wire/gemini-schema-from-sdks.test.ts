import { zodFunction, zodResponseFormat } from "openai/helpers/zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toGeminiResponseSchema } from "./to-gemini-response-schema.js";
import { toGeminiSchema } from "./to-gemini-schema.js";

type Json = Record<string, unknown>;

/** Gemini's function-declaration Schema (OpenAPI 3.0 subset): every keyword it takes. */
const OPENAPI_SUBSET = new Set([
  "type", "format", "title", "description", "nullable", "enum", "properties", "required", "items", "anyOf",
  "minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties", "minimum", "maximum",
  "pattern", "example", "default", "propertyOrdering",
]);
const FORMATS: Record<string, string[]> = { string: ["enum", "date-time"], number: ["float", "double"], integer: ["int32", "int64"] };

/** Walks a converted schema and lists everything Gemini would answer 400 to. */
function geminiViolations(schema: unknown, path = "$"): string[] {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return [`${path}: not a schema object`];
  const node = schema as Json;
  const found: string[] = [];
  for (const key of Object.keys(node)) if (!OPENAPI_SUBSET.has(key)) found.push(`${path}.${key}: unknown keyword`);
  const type = typeof node.type === "string" ? node.type.toLowerCase() : undefined;
  if (node.type !== undefined && typeof node.type !== "string") found.push(`${path}.type: not a single type`);
  if (node.format !== undefined && !(type !== undefined && FORMATS[type]?.includes(String(node.format)))) found.push(`${path}.format: ${String(node.format)}`);
  if (node.enum !== undefined && (type ?? "string") !== "string") found.push(`${path}.enum on ${type}`);
  if (Array.isArray(node.enum) && node.enum.some((v) => typeof v !== "string")) found.push(`${path}.enum: non-string member`);
  if (node.properties !== undefined) for (const [name, value] of Object.entries(node.properties as Json)) found.push(...geminiViolations(value, `${path}.properties.${name}`));
  if (node.items !== undefined) found.push(...geminiViolations(node.items, `${path}.items`));
  if (Array.isArray(node.anyOf)) node.anyOf.forEach((branch, i) => found.push(...geminiViolations(branch, `${path}.anyOf[${i}]`)));
  return found;
}

// Real output of pydantic v2's `Lookup.model_json_schema()` for:
//   class Unit(str, Enum): celsius = "celsius"; fahrenheit = "fahrenheit"
//   class Address(BaseModel): street: str; zip: str | None = None
//   class Node(BaseModel): name: str; children: list["Node"] = []
//   class Lookup(BaseModel): address: Address; unit: Unit = Unit.celsius; when: datetime; email: EmailStr
//     count: int = Field(gt=0); ratio: float = Field(ge=0, le=1); level: Literal[1, 2, 3]; tree: Node | None = None
//     tags: list[str] = Field(default_factory=list, examples=[["a"]]); kind: Literal["weather"] = "weather"
const PYDANTIC_SCHEMA: Json = {
  $defs: {
    Address: {
      properties: { street: { title: "Street", type: "string" }, zip: { anyOf: [{ type: "string" }, { type: "null" }], default: null, title: "Zip" } },
      required: ["street"],
      title: "Address",
      type: "object",
    },
    Node: {
      properties: { name: { title: "Name", type: "string" }, children: { default: [], items: { $ref: "#/$defs/Node" }, title: "Children", type: "array" } },
      required: ["name"],
      title: "Node",
      type: "object",
    },
    Unit: { enum: ["celsius", "fahrenheit"], title: "Unit", type: "string" },
  },
  properties: {
    address: { $ref: "#/$defs/Address" },
    unit: { $ref: "#/$defs/Unit", default: "celsius" },
    when: { format: "date-time", title: "When", type: "string" },
    email: { format: "email", title: "Email", type: "string" },
    count: { exclusiveMinimum: 0, title: "Count", type: "integer" },
    ratio: { maximum: 1, minimum: 0, title: "Ratio", type: "number" },
    level: { enum: [1, 2, 3], title: "Level", type: "integer" },
    tree: { anyOf: [{ $ref: "#/$defs/Node" }, { type: "null" }], default: null },
    tags: { examples: [["a"]], items: { type: "string" }, title: "Tags", type: "array" },
    kind: { const: "weather", default: "weather", title: "Kind", type: "string" },
  },
  required: ["address", "when", "email", "count", "ratio", "level"],
  title: "Lookup",
  type: "object",
};

const Address = z.object({ street: z.string(), zip: z.string().nullable() });
const Lookup = z.object({
  city: z.string().describe("City name"),
  unit: z.enum(["c", "f"]),
  days: z.number().int().min(1).max(10).nullable(),
  home: Address,
  work: Address.nullable(),
});

describe("tool schemas from real SDKs, cleaned for Gemini", () => {
  it("openai's zodFunction (strict: $schema, additionalProperties, anyOf with null, type arrays)", () => {
    const parameters = zodFunction({ name: "lookup", parameters: Lookup }).function.parameters as Json;
    const cleaned = toGeminiSchema(parameters)!;
    expect(geminiViolations(cleaned)).toEqual([]);
    const properties = cleaned.properties as Record<string, Json>;
    expect(properties.days).toEqual({ type: "integer", minimum: 1, maximum: 10, nullable: true });
    expect(properties.work).toMatchObject({ type: "object", nullable: true, properties: { zip: { type: "string", nullable: true } } });
    expect(cleaned.required).toEqual(["city", "unit", "days", "home", "work"]);
  });

  it("zod's own toJSONSchema (2020-12: default, an email format with its pattern)", () => {
    const schema = z.toJSONSchema(z.object({ to: z.string().email(), subject: z.string().default("hi"), when: z.iso.datetime() })) as Json;
    const cleaned = toGeminiSchema(schema)!;
    expect(geminiViolations(cleaned)).toEqual([]);
    const properties = cleaned.properties as Record<string, Json>;
    expect(properties.to!.format).toBeUndefined();
    expect(properties.subject!.default).toBe("hi");
  });

  it("pydantic's model_json_schema ($defs and $ref, recursion, const, gt, examples, an int Literal)", () => {
    const cleaned = toGeminiSchema(PYDANTIC_SCHEMA)!;
    expect(geminiViolations(cleaned)).toEqual([]);
    const properties = cleaned.properties as Record<string, Json>;
    expect(properties.address).toEqual({
      type: "object",
      title: "Address",
      properties: { street: { type: "string", title: "Street" }, zip: { type: "string", title: "Zip", default: null, nullable: true } },
      required: ["street"],
    });
    expect(properties.unit).toMatchObject({ type: "string", enum: ["celsius", "fahrenheit"], default: "celsius" });
    expect(properties.when!.format).toBe("date-time");
    expect(properties.kind!.enum).toEqual(["weather"]);
    expect(properties.level).toMatchObject({ type: "integer", description: "One of: 1, 2, 3." });
    // The recursive model is unrolled once, then cut to a bare object.
    const tree = properties.tree as Json & { properties: Record<string, Json & { items: Json }> };
    expect(tree).toMatchObject({ type: "object", nullable: true });
    expect(tree.properties.children!.items).toEqual({ type: "object" });
  });
});

describe("response schemas for responseJsonSchema", () => {
  it("inlines references and drops what the subset lacks, keeping additionalProperties", () => {
    const cleaned = toGeminiResponseSchema(PYDANTIC_SCHEMA);
    const text = JSON.stringify(cleaned);
    for (const gone of ["$defs", "$ref", "examples", "exclusiveMinimum", "default", "$schema"]) expect(text).not.toContain(`"${gone}"`);
    expect((cleaned.properties as Record<string, Json>).address).toMatchObject({ type: "object", required: ["street"] });
    const strict = toGeminiResponseSchema(zodResponseFormat(Lookup, "answer").json_schema.schema as Json);
    expect(strict.additionalProperties).toBe(false);
    expect(JSON.stringify(strict)).not.toContain("$schema");
    expect((strict.properties as Record<string, Json>).days).toEqual({ anyOf: [{ type: "integer", minimum: 1, maximum: 10 }, { type: "null" }] });
  });
});
