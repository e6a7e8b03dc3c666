import { createHash, timingSafeEqual } from "node:crypto";
import { GatewayError } from "../core/index.js";
import { createUnknownKeyCache } from "./create-unknown-key-cache.js";
import type { GovernanceRepository, Team, VirtualKey } from "./governance-types.js";
import { hashKeySecret, KEY_SECRET_PREFIX } from "./key-secret.js";
import type { Principal } from "./principal.js";

export interface KeyDirectoryOptions {
  repository: GovernanceRepository;
  /** Absent: open dev mode (callers without credentials are admins). */
  masterKey?: string;
  now?: () => Date;
  /** How often changes made by other instances are read (revocations take effect within this). */
  refreshMs?: number;
  onRefreshError?: (error: unknown) => void;
  /** How long a secret that matched no key is refused without a query (default 10 s; forgotten at once when the key appears). */
  unknownKeyTtlMs?: number;
  /** How many such secrets are remembered (default 10,000; the oldest goes first). */
  unknownKeyCacheSize?: number;
  /**
   * Look-ups by hash of unknown secrets per refresh interval (default 20). Past that, an unknown secret
   * waits for the next refresh instead of querying, so a flood of made-up keys costs a bounded number of
   * queries while a key just created on another instance still works, at worst one refresh later.
   */
  maxLookupsPerRefresh?: number;
}

/**
 * Who is who: authenticates credentials and holds every key and team in memory, so checking a
 * principal on each operation costs no query. Local changes apply at once (`remember`); other
 * instances' changes arrive with the periodic refresh.
 */
export interface KeyDirectory {
  readonly openMode: boolean;
  /** Loads keys and teams and starts the refresh timer. */
  start(): Promise<void>;
  /** `Authorization` value (or graphql-ws connectionParams.authorization) → principal; throws UNAUTHENTICATED or FORBIDDEN. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  /** Throws FORBIDDEN when a principal authenticated earlier is no longer allowed (revoked, expired). */
  recheck(principal: Principal): void;
  key(id: string): VirtualKey | undefined;
  team(id: string): Team | undefined;
  remember(change: { key?: VirtualKey; team?: Team }): void;
  /** A deleted team (on other instances it stays in memory, unused once its keys have left it). */
  forgetTeam(id: string): void;
  close(): void;
}

export function createKeyDirectory(options: KeyDirectoryOptions): KeyDirectory {
  const { repository } = options;
  const now = options.now ?? (() => new Date());
  const refreshMs = options.refreshMs ?? 500;
  const masterHash = options.masterKey ? digest(options.masterKey) : undefined;
  const keysById = new Map<string, VirtualKey>();
  const keyIdByHash = new Map<string, string>();
  const teamsById = new Map<string, Team>();
  let seenUntil = new Date(0);
  let timer: NodeJS.Timeout | undefined;
  let refreshing = false;
  let refreshFailed = false;
  const unknownKeys = createUnknownKeyCache({
    ttlMs: options.unknownKeyTtlMs ?? 10_000,
    maxEntries: options.unknownKeyCacheSize ?? 10_000,
    now: () => now().getTime(),
  });
  const maxLookupsPerRefresh = options.maxLookupsPerRefresh ?? 20;
  let lookupsSinceRefresh = 0;
  /** Look-ups of one hash in flight, shared by concurrent requests presenting the same secret. */
  const lookups = new Map<string, Promise<VirtualKey | undefined>>();
  /** Resolved when the next refresh to start has ended. */
  let refreshWaiters: Array<() => void> = [];

  /**
   * Ids (`key:<id>`, `team:<id>`) changed on this instance while a refresh's query was in flight. That query may
   * have read the row before the change: its copy is not applied, and the next refresh reads the row again.
   */
  let changedDuringRefresh: Set<string> | undefined;

  /** Holds a row read or written; a copy older than the one held (updatedAt) is dropped, never applied over it. */
  const apply = ({ key, team }: { key?: VirtualKey; team?: Team }) => {
    if (key) {
      // A rotation changes the hashes: the ones this key had before no longer lead to it.
      const before = keysById.get(key.id);
      if (before && key.updatedAt < before.updatedAt) return;
      for (const hash of [before?.keyHash, before?.previousKeyHash]) {
        if (hash && hash !== key.keyHash && hash !== key.previousKeyHash && keyIdByHash.get(hash) === key.id) keyIdByHash.delete(hash);
      }
      keysById.set(key.id, key);
      keyIdByHash.set(key.keyHash, key.id);
      unknownKeys.forget(key.keyHash);
      if (key.previousKeyHash) {
        keyIdByHash.set(key.previousKeyHash, key.id);
        unknownKeys.forget(key.previousKeyHash);
      }
      if (key.updatedAt > seenUntil) seenUntil = key.updatedAt;
    }
    if (team) {
      const before = teamsById.get(team.id);
      if (before && team.updatedAt < before.updatedAt) return;
      teamsById.set(team.id, team);
      if (team.updatedAt > seenUntil) seenUntil = team.updatedAt;
    }
  };

  /** A change made on this instance: applies at once, and no refresh in flight puts the row as it was before back. */
  const remember = (change: { key?: VirtualKey; team?: Team }) => {
    if (change.key) changedDuringRefresh?.add(`key:${change.key.id}`);
    if (change.team) changedDuringRefresh?.add(`team:${change.team.id}`);
    apply(change);
  };

  const refuseIfInactive = (key: VirtualKey): void => {
    if (key.revokedAt !== null) throw new GatewayError("FORBIDDEN", "This key has been revoked", { keyId: key.id });
    if (key.expiresAt !== null && key.expiresAt.getTime() <= now().getTime()) {
      throw new GatewayError("FORBIDDEN", "This key has expired", { keyId: key.id });
    }
  };

  async function refresh(): Promise<void> {
    if (refreshing) return;
    refreshing = true;
    lookupsSinceRefresh = 0;
    const waiters = refreshWaiters;
    refreshWaiters = [];
    const changedHere = new Set<string>();
    changedDuringRefresh = changedHere;
    try {
      // Rows written in the same millisecond as the last one seen are read again, never missed.
      const changes = await repository.changedSince(new Date(seenUntil.getTime() - 1));
      for (const key of changes.keys) if (!changedHere.has(`key:${key.id}`)) apply({ key });
      for (const team of changes.teams) if (!changedHere.has(`team:${team.id}`)) apply({ team });
      refreshFailed = false;
    } catch (error) {
      refreshFailed = true;
      options.onRefreshError?.(error);
    } finally {
      changedDuringRefresh = undefined;
      refreshing = false;
      for (const resolve of waiters) resolve();
      // Without the timer nothing else would start the refresh these callers wait for.
      if (timer === undefined && refreshWaiters.length > 0) void refresh();
    }
  }

  /** Waits until a refresh that starts after this call has ended (at once when the timer is not running). */
  function nextRefresh(): Promise<void> {
    const ended = new Promise<void>((resolve) => refreshWaiters.push(resolve));
    if (timer === undefined) void refresh();
    return ended;
  }

  const known = (hash: string): VirtualKey | undefined => {
    const id = keyIdByHash.get(hash);
    return id === undefined ? undefined : keysById.get(id);
  };

  /** A secret the directory does not hold: created on another instance since the last refresh, or no key at all. */
  async function lookUp(hash: string): Promise<VirtualKey | undefined> {
    if (unknownKeys.has(hash)) return undefined;
    let pending = lookups.get(hash);
    if (!pending) {
      pending = (async () => {
        let key: VirtualKey | undefined;
        if (lookupsSinceRefresh < maxLookupsPerRefresh) {
          lookupsSinceRefresh += 1;
          key = (await repository.getKeyByHash(hash)) ?? undefined;
          if (key) apply({ key });
        } else {
          await nextRefresh();
          key = known(hash);
        }
        // After a failed refresh the answer is not known to be "no key": do not remember it.
        if (!key && !refreshFailed) unknownKeys.add(hash);
        return key;
      })().finally(() => lookups.delete(hash));
      lookups.set(hash, pending);
    }
    return pending;
  }

  return {
    openMode: masterHash === undefined,

    async start() {
      const [keys, teams] = await Promise.all([repository.listKeys(), repository.listTeams()]);
      for (const team of teams) apply({ team });
      for (const key of keys) apply({ key });
      timer = setInterval(() => void refresh(), refreshMs);
      timer.unref();
    },

    async authenticate(authorization) {
      const secret = bearerToken(authorization);
      if (secret === undefined) {
        if (masterHash === undefined) return { kind: "admin", open: true };
        throw new GatewayError("UNAUTHENTICATED", "Missing credentials: send Authorization: Bearer <key>");
      }
      if (masterHash !== undefined && timingSafeEqual(digest(secret), masterHash)) return { kind: "admin", open: false };
      if (!secret.startsWith(KEY_SECRET_PREFIX)) {
        if (masterHash === undefined) return { kind: "admin", open: true };
        throw new GatewayError("UNAUTHENTICATED", "Invalid credentials");
      }
      const hash = hashKeySecret(secret);
      const key = known(hash) ?? (await lookUp(hash));
      if (!key) throw new GatewayError("UNAUTHENTICATED", "Invalid credentials");
      refuseIfInactive(key);
      // The secret before a rotation works until its grace period ends.
      if (hash !== key.keyHash && (key.previousKeyExpiresAt === null || key.previousKeyExpiresAt.getTime() <= now().getTime())) {
        throw new GatewayError("UNAUTHENTICATED", "This secret was replaced by a rotation and its grace period has ended: use the new secret");
      }
      return { kind: "key", keyId: key.id, teamId: key.teamId };
    },

    recheck(principal) {
      if (principal.kind !== "key") return;
      const key = keysById.get(principal.keyId);
      if (!key) throw new GatewayError("UNAUTHENTICATED", "Invalid credentials");
      refuseIfInactive(key);
    },

    key: (id) => keysById.get(id),
    team: (id) => teamsById.get(id),
    remember,
    forgetTeam: (id) => {
      changedDuringRefresh?.add(`team:${id}`);
      teamsById.delete(id);
    },

    close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      for (const resolve of refreshWaiters.splice(0)) resolve();
    },
  };
}

/** The secret of `Bearer <secret>` (or a bare secret); undefined when there is none. */
function bearerToken(authorization: string | undefined): string | undefined {
  if (typeof authorization !== "string") return undefined;
  const trimmed = authorization.trim();
  const token = /^bearer\s+/i.test(trimmed) ? trimmed.replace(/^bearer\s+/i, "").trim() : trimmed;
  return token === "" ? undefined : token;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
