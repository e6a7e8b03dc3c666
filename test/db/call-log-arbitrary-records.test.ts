import fc from "fast-check";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createCallLogWriter } from "../../src/db/index.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { makeAttempt, makeCallRecord } from "./make-call-record.js";

// Any UTF-16 code units, so NULs and lone surrogates come up often.
const anyString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 20 });
const anyJson = fc.jsonValue({ maxDepth: 6, stringUnit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) });

describe("call log writer with arbitrary strings and JSON in every free-form field", () => {
  const test = useTestDatabase();

  it("stores every record (none quarantined, none lost), whatever its strings and metadata", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ user: fc.option(anyString), message: fc.option(anyString), metadata: fc.dictionary(anyString, anyJson, { maxKeys: 4 }) }), {
          minLength: 1,
          maxLength: 25,
        }),
        async (inputs) => {
          const writer = createCallLogWriter({ db: test.database.db, logger: { warn: () => undefined, error: () => undefined } });
          const records = inputs.map((input) =>
            makeCallRecord({ endUser: input.user, errorMessage: input.message, metadata: input.metadata, attempts: [makeAttempt({ errorMessage: input.message })] }),
          );
          for (const record of records) writer.record(record);
          await writer.close();
          const ids = records.map((record) => record.id);
          const stored = (await test.database.db.execute(sql`select count(*)::int as n from calls where id in ${ids}`)) as unknown as { rows: Array<{ n: number }> };
          expect(stored.rows[0]!.n).toBe(records.length);
          expect(writer.stats().written).toBe(records.length);
        },
      ),
      { numRuns: 15 },
    );
  });
});
