import { and, eq, type SQL } from "drizzle-orm";
import type { ChatMessage } from "../core/index.js";
import type { DrizzleDb } from "./database.js";
import { cleanJsonValue } from "./sanitize-call-record.js";
import { storedResponses } from "./schema/index.js";

export interface StoredResponse {
  id: string;
  callId: string;
  keyId: string | null;
  /** The conversation up to and including the stored answer. */
  messages: ChatMessage[];
  /** The Responses API object as it was answered. */
  response: Record<string, unknown>;
}

/** Who reads: a virtual key sees only what it stored; `null` (the master key, open dev mode) sees every response. */
export type ResponseOwner = { keyId: string } | null;

export interface StoredResponsesRepository {
  save(row: StoredResponse): Promise<void>;
  find(id: string, owner: ResponseOwner): Promise<StoredResponse | null>;
  /** Whether a response was deleted. */
  delete(id: string, owner: ResponseOwner): Promise<boolean>;
}

export function createStoredResponsesRepository(db: DrizzleDb): StoredResponsesRepository {
  const visible = (id: string, owner: ResponseOwner): SQL =>
    owner === null ? eq(storedResponses.id, id) : and(eq(storedResponses.id, id), eq(storedResponses.keyId, owner.keyId))!;
  return {
    async save(row) {
      // Text a client sent may hold NUL or lone surrogates, which jsonb refuses: stored as U+FFFD.
      await db.insert(storedResponses).values({
        id: row.id,
        callId: row.callId,
        keyId: row.keyId,
        messages: cleanJsonValue(row.messages),
        response: cleanJsonValue(row.response),
      });
    },
    async find(id, owner) {
      const [row] = await db.select().from(storedResponses).where(visible(id, owner)).limit(1);
      if (!row) return null;
      return { id: row.id, callId: row.callId, keyId: row.keyId, messages: row.messages as ChatMessage[], response: row.response as Record<string, unknown> };
    },
    async delete(id, owner) {
      const deleted = await db.delete(storedResponses).where(visible(id, owner)).returning({ id: storedResponses.id });
      return deleted.length > 0;
    },
  };
}

