import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

const LOCAL_REDIS = "redis://127.0.0.1:6379";

/**
 * The Redis the tests use. With REDIS_URL set (CI sets it) that one, and a Redis that is down
 * then fails the tests; without, the local default when it answers, else undefined so that the
 * Redis tests skip on a machine without one.
 */
export async function findTestRedis(): Promise<string | undefined> {
  const configured = process.env.REDIS_URL;
  if (configured !== undefined && configured !== "") return configured;
  return (await answers(LOCAL_REDIS)) ? LOCAL_REDIS : undefined;
}

/** A key prefix no other test run uses. */
export function uniqueKeyPrefix(): string {
  return `sy-test:${randomBytes(6).toString("hex")}:`;
}

/** Every key under the prefixes (what a test run wrote), found with SCAN. */
export async function keysUnder(url: string, prefixes: readonly string[]): Promise<string[]> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  try {
    const keys: string[] = [];
    for (const prefix of prefixes) {
      for await (const batch of client.scanStream({ match: `${prefix}*`, count: 1000 })) keys.push(...(batch as string[]));
    }
    return keys;
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under the prefixes. */
export async function deleteKeysUnder(url: string, prefixes: readonly string[]): Promise<void> {
  const keys = await keysUnder(url, prefixes);
  if (keys.length === 0) return;
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  try {
    for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500));
  } finally {
    client.disconnect();
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
