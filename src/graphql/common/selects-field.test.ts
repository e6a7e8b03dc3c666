import { buildSchema, graphql } from "graphql";
import { describe, expect, it } from "vitest";
import { selectsField } from "./selects-field.js";

const schema = buildSchema("type Page { total: Int items: [Int] } type Query { page: Page }");

async function asked(query: string): Promise<boolean> {
  let seen = false;
  await graphql({
    schema,
    source: query,
    rootValue: {
      page: (_args: unknown, _context: unknown, info: Parameters<typeof selectsField>[0]) => {
        seen = selectsField(info, "total");
        return { total: 1, items: [] };
      },
    },
  });
  return seen;
}

describe("selectsField", () => {
  it("sees a field asked for directly, and treats fragments as maybe", async () => {
    expect(await asked("{ page { total items } }")).toBe(true);
    expect(await asked("{ page { items } }")).toBe(false);
    expect(await asked("{ page { ... on Page { items } } }")).toBe(true);
    expect(await asked("{ page { ...F } } fragment F on Page { items }")).toBe(true);
  });
});
