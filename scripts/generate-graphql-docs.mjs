#!/usr/bin/env node
// docs/graphql-api.md from schema/schema.graphql (itself emitted from the resolvers): every
// operation with its arguments, then every type. `--check` fails when the file is out of date.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isUnionType } from "graphql";
import { writeOrCheck } from "./write-or-check.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "docs", "graphql-api.md");
const schema = buildSchema(readFileSync(join(root, "schema", "schema.graphql"), "utf8"));

const oneLine = (text) => (text ?? "").replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|").trim();
const anchor = (name) => `[\`${name}\`](#${name.toLowerCase()})`;
const typeLink = (type) => {
  const text = String(type);
  const name = text.replace(/[[\]!]/g, "");
  return schema.getType(name) && !["String", "Int", "Float", "Boolean", "ID"].includes(name) ? text.replace(name, anchor(name)).replace(/^/, "") : `\`${text}\``;
};
const args = (field) =>
  field.args.length === 0
    ? ""
    : field.args.map((arg) => `\`${arg.name}\`: ${typeLink(arg.type)}${arg.defaultValue !== undefined ? ` = \`${JSON.stringify(arg.defaultValue)}\`` : ""}`).join(", ");

const lines = [
  "# GraphQL API reference",
  "",
  "Generated from `schema/schema.graphql` by `npm run -s docs:graphql`; do not edit by hand (`npm run -s docs:graphql -- --check` fails on drift).",
  "The endpoint is `POST /graphql` (and WebSocket, graphql-transport-ws, for subscriptions); see README.md and docs/architecture.md.",
  "",
];
for (const [title, type] of [
  ["Queries", schema.getQueryType()],
  ["Mutations", schema.getMutationType()],
  ["Subscriptions", schema.getSubscriptionType()],
]) {
  if (!type) continue;
  lines.push(`## ${title}`, "", "| Field | Arguments | Returns | Description |", "| --- | --- | --- | --- |");
  for (const field of Object.values(type.getFields()).sort((a, b) => a.name.localeCompare(b.name))) {
    lines.push(`| \`${field.name}\` | ${args(field)} | ${typeLink(field.type)} | ${oneLine(field.description)}${field.deprecationReason ? ` **Deprecated:** ${oneLine(field.deprecationReason)}` : ""} |`);
  }
  lines.push("");
}
const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t.name));
const named = Object.values(schema.getTypeMap())
  .filter((type) => !type.name.startsWith("__") && !roots.has(type.name) && !["String", "Int", "Float", "Boolean", "ID"].includes(type.name))
  .sort((a, b) => a.name.localeCompare(b.name));
lines.push("## Types", "");
for (const type of named) {
  const kind = isObjectType(type) ? "object" : isInputObjectType(type) ? "input" : isEnumType(type) ? "enum" : isScalarType(type) ? "scalar" : isInterfaceType(type) ? "interface" : isUnionType(type) ? "union" : "type";
  lines.push(`### ${type.name}`, "", `*${kind}*${type.description ? ` — ${oneLine(type.description)}` : ""}`, "");
  if (isObjectType(type) || isInterfaceType(type)) {
    lines.push("| Field | Arguments | Type | Description |", "| --- | --- | --- | --- |");
    for (const field of Object.values(type.getFields())) lines.push(`| \`${field.name}\` | ${args(field)} | ${typeLink(field.type)} | ${oneLine(field.description)} |`);
    lines.push("");
  } else if (isInputObjectType(type)) {
    lines.push("| Field | Type | Default | Description |", "| --- | --- | --- | --- |");
    for (const field of Object.values(type.getFields())) {
      lines.push(`| \`${field.name}\` | ${typeLink(field.type)} | ${field.defaultValue !== undefined ? `\`${JSON.stringify(field.defaultValue)}\`` : ""} | ${oneLine(field.description)} |`);
    }
    lines.push("");
  } else if (isEnumType(type)) {
    lines.push("| Value | Description |", "| --- | --- |");
    for (const value of type.getValues()) lines.push(`| \`${value.name}\` | ${oneLine(value.description)} |`);
    lines.push("");
  } else if (isUnionType(type)) {
    lines.push(`One of: ${type.getTypes().map((t) => anchor(t.name)).join(", ")}`, "");
  }
}
const text = `${lines.join("\n").trimEnd()}\n`;

writeOrCheck(target, text, { source: "schema/schema.graphql", command: "npm run -s docs:graphql" });
