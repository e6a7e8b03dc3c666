/**
 * `server.workers` above 1 (or "auto") runs several processes on one port, and what they share
 * must live outside them: limits, budgets and reservations in Redis (the in-memory store is one
 * process's), the database in Postgres (the embedded PGlite folder opens in one process only).
 * Read from the substituted tree, not the parsed config, so that the problems are listed with any
 * others in the same pass; the environment's DATABASE_URL and SWITCHYARD_REDIS_URL count as set.
 */
export function checkWorkers(raw: unknown, env: Record<string, string | undefined>): string[] {
  const workers = field(raw, ["server", "workers"]);
  if (!(workers === "auto" || (typeof workers === "number" && Number.isInteger(workers) && workers > 1))) return [];
  const what = workers === "auto" ? `"auto" (one worker process per core)` : `${workers} worker processes`;
  const problems: string[] = [];
  if (!present(field(raw, ["state", "redis", "url"])) && !present(env.SWITCHYARD_REDIS_URL)) {
    problems.push(
      `server.workers: ${what} need state.redis.url (or SWITCHYARD_REDIS_URL): rate limits, budgets and reservations must be shared by the workers, and without Redis each process would keep its own`,
    );
  }
  if (!present(field(raw, ["database", "url"])) && !present(env.DATABASE_URL)) {
    problems.push(
      `server.workers: ${what} need a Postgres database.url (or DATABASE_URL): the embedded PGlite database (database.dataDir) can be opened by one process only`,
    );
  }
  return problems;
}

function field(tree: unknown, path: readonly string[]): unknown {
  let node = tree;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function present(value: unknown): boolean {
  return typeof value === "string" && value !== "";
}
