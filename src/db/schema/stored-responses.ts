import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Responses kept by `POST /v1/responses` with `store` (OpenAI's default): the conversation so far in the
 * unified message shape, so a later request can continue it with `previous_response_id`, and the response
 * object as it was answered, for `GET /v1/responses/{id}`. `call_id` names the call row without a foreign
 * key: the call log writes that row asynchronously, possibly after this one.
 */
export const storedResponses = pgTable(
  "stored_responses",
  {
    id: text("id").primaryKey(),
    callId: uuid("call_id").notNull(),
    /** The virtual key that created it (only that key may read or continue it); NULL for the master key or open dev mode. */
    keyId: text("key_id"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** The conversation up to and including this response's answer (instructions excluded, as OpenAI does). */
    messages: jsonb("messages").notNull(),
    response: jsonb("response").notNull(),
  },
  (table) => [index("stored_responses_created_at_idx").on(table.createdAt)],
);
