import { createHash, randomBytes } from "node:crypto";

export const KEY_SECRET_PREFIX = "sk-sy-";
const DISPLAY_CHARS = 6;

export interface KeySecret {
  /** Shown once, at creation. */
  secret: string;
  hash: string;
  /** Enough to recognise a key in a list, far too little to guess it. */
  prefix: string;
}

/** A new secret: 32 random bytes (256 bits) in base64url after `sk-sy-`. */
export function generateKeySecret(random: (bytes: number) => Buffer = randomBytes): KeySecret {
  const secret = `${KEY_SECRET_PREFIX}${random(32).toString("base64url")}`;
  return { secret, hash: hashKeySecret(secret), prefix: secret.slice(0, KEY_SECRET_PREFIX.length + DISPLAY_CHARS) };
}

/** SHA-256 hex: a random 256-bit secret needs no slow hash, and lookups stay one index probe. */
export function hashKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
