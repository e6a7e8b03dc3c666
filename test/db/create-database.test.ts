import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase, queryRows } from "../../src/db/index.js";

describe("createDatabase", () => {
  it("refuses a URL that is not postgres://", async () => {
    await expect(createDatabase({ url: "mysql://root@localhost/db" })).rejects.toThrow(/must start with postgres:\/\//);
  });

  it("says which server it cannot reach, without the password", async () => {
    const error = await createDatabase({ url: "postgres://user:s3cret@127.0.0.1:1/nowhere" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Cannot connect to Postgres at postgres:\/\/user:\*\*\*@127\.0\.0\.1:1\/nowhere: /);
    expect((error as Error).message).not.toContain("s3cret");
  });

  it("keeps PGlite data on disk across restarts", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "sy-pgdata-"));
    try {
      const first = await createDatabase({ dataDir: join(dataDir, "pgdata") });
      expect(first.kind).toBe("pglite");
      await first.migrate();
      await first.db.execute(sql`insert into calls (id, created_at, requested_model, status, streamed, prompt_tokens,
        completion_tokens, cached_tokens, cost_usd, latency_ms, attempt_count)
        values ('0b6f8a52-6d7c-4b8e-9a3e-2f1c0d9e8b7a', now(), 'm', 'SUCCESS', false, 1, 2, 0, 0.5, 10, 0)`);
      await first.close();
      await first.close();
      expect(await first.ping()).toBe(false);

      const second = await createDatabase({ dataDir: join(dataDir, "pgdata") });
      await second.migrate();
      const result = await queryRows<{ cost: string }>(second.db, sql`select cost_usd::text as cost from calls`);
      expect(result).toEqual([{ cost: "0.500000000000" }]);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
