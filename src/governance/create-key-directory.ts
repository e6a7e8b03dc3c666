import { createHash, timingSafeEqual } from "node:crypto";
import { GatewayError } from "../core/index.js";
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

  const remember = ({ key, team }: { key?: VirtualKey; team?: Team }) => {
    if (key) {
      keysById.set(key.id, key);
      keyIdByHash.set(key.keyHash, key.id);
      if (key.updatedAt > seenUntil) seenUntil = key.updatedAt;
    }
    if (team) {
      teamsById.set(team.id, team);
      if (team.updatedAt > seenUntil) seenUntil = team.updatedAt;
    }
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
    try {
      // Rows written in the same millisecond as the last one seen are read again, never missed.
      const changes = await repository.changedSince(new Date(seenUntil.getTime() - 1));
      for (const key of changes.keys) remember({ key });
      for (const team of changes.teams) remember({ team });
    } catch (error) {
      options.onRefreshError?.(error);
    } finally {
      refreshing = false;
    }
  }

  return {
    openMode: masterHash === undefined,

    async start() {
      const [keys, teams] = await Promise.all([repository.listKeys(), repository.listTeams()]);
      for (const team of teams) remember({ team });
      for (const key of keys) remember({ key });
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
      const cachedId = keyIdByHash.get(hash);
      let key = cachedId === undefined ? undefined : keysById.get(cachedId);
      if (!key) {
        // Created on another instance since the last refresh.
        const stored = await repository.getKeyByHash(hash);
        if (stored) remember({ key: stored });
        key = stored ?? undefined;
      }
      if (!key) throw new GatewayError("UNAUTHENTICATED", "Invalid credentials");
      refuseIfInactive(key);
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

    close() {
      if (timer) clearInterval(timer);
      timer = undefined;
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
