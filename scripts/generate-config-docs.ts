// docs/config.md from the zod config schema (src/config/config-schema.ts): every key with its type,
// default and allowed values. `--check` fails when the file is out of date.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { configSchema } from "../src/config/config-schema.js";
import { writeOrCheck } from "./write-or-check.mjs";

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  minLength?: number;
  format?: string;
  pattern?: string;
  description?: string;
  additionalProperties?: boolean | JsonSchema;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "docs", "config.md");
const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;

const rows: string[] = [];
const code = (value: unknown) => `\`${JSON.stringify(value)}\``;

function typeOf(node: JsonSchema): string {
  const variants = node.anyOf ?? node.oneOf;
  if (variants) return variants.map(typeOf).join(" or ");
  if (node.const !== undefined) return code(node.const);
  if (node.enum) return node.enum.map(code).join(", ");
  if (node.type === "array") return `list of ${node.items ? typeOf(node.items) : "values"}`;
  if (node.type === "object" && !node.properties) return "map";
  const base = Array.isArray(node.type) ? node.type.join(" or ") : (node.type ?? "any");
  const limits = [
    node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER ? `≥ ${node.minimum}` : undefined,
    node.exclusiveMinimum !== undefined ? `> ${node.exclusiveMinimum}` : undefined,
    node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? `≤ ${node.maximum}` : undefined,
    node.minLength !== undefined && node.minLength > 0 ? "not empty" : undefined,
    node.format ? node.format : undefined,
  ].filter(Boolean);
  return limits.length > 0 ? `${base} (${limits.join(", ")})` : base;
}

function walk(node: JsonSchema, path: string, required: boolean): void {
  const objectLike = node.properties ?? node.items?.properties;
  if (path !== "") {
    const shown = objectLike ? (node.type === "array" ? "list of objects" : "object") : typeOf(node);
    const defaultText = node.default !== undefined && !(typeof node.default === "object" && node.default !== null && Object.keys(node.default).length > 2) ? code(node.default) : node.default !== undefined ? "(see its keys)" : "";
    rows.push(`| \`${path}\` | ${shown.replace(/\|/g, "\\|")} | ${required && node.default === undefined ? "yes" : ""} | ${defaultText.replace(/\|/g, "\\|")} | ${(node.description ?? "").replace(/\|/g, "\\|")} |`);
  }
  if (node.properties) {
    for (const [key, child] of Object.entries(node.properties)) walk(child, path === "" ? key : `${path}.${key}`, node.required?.includes(key) ?? false);
  } else if (node.items?.properties) {
    for (const [key, child] of Object.entries(node.items.properties)) walk(child, `${path}[].${key}`, node.items.required?.includes(key) ?? false);
  }
  for (const variant of node.anyOf ?? []) if (variant.properties) for (const [key, child] of Object.entries(variant.properties)) walk(child, `${path}.${key}`, variant.required?.includes(key) ?? false);
}
walk(schema, "", true);

const text = `${[
  "# Config reference",
  "",
  "Generated from the zod schema in `src/config/config-schema.ts` by `npm run -s docs:config`; do not edit by hand (`npm run -s docs:config -- --check` fails on drift).",
  "The config is YAML (`--config PATH`, `SWITCHYARD_CONFIG`, default `config/switchyard.yaml`). Any string may use `${VAR}` or `${VAR:-default}`;",
  "an unset `${VAR}` without a default leaves the key out, and a key that is then missing is reported naming the variable.",
  "`PORT`, `DATABASE_URL` and `SWITCHYARD_REDIS_URL` override `server.port`, `database.url` and `state.redis.url`. Unknown keys are refused.",
  "`switchyard config check` reports every problem at once. What each key does: README.md and docs/architecture.md.",
  "",
  "| Key | Type | Required | Default | Description |",
  "| --- | --- | --- | --- | --- |",
  ...rows,
].join("\n")}\n`;

writeOrCheck(target, text, { source: "src/config/config-schema.ts", command: "npm run -s docs:config" });
