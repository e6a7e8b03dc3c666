/**
 * `database.callLog.thread: true` moves the call log's database writes to a worker thread with a Postgres
 * pool of its own; the embedded PGlite database runs inside the process and cannot be reached from another
 * thread, so it is refused without a database.url (DATABASE_URL counts as set). Read from the substituted tree.
 */
export function checkCallLogThread(raw: unknown, env: Record<string, string | undefined>): string[] {
  const database = (raw as { database?: { url?: unknown; callLog?: { thread?: unknown } } } | null)?.database;
  if (database?.callLog?.thread !== true) return [];
  const url = database.url;
  if ((typeof url === "string" && url !== "") || (env.DATABASE_URL !== undefined && env.DATABASE_URL !== "")) return [];
  return [
    "database.callLog.thread: true needs a Postgres database.url (or DATABASE_URL): the embedded PGlite database runs inside the process and is written from its main thread",
  ];
}
