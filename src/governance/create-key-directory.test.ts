import { afterEach, describe, expect, it, vi } from "vitest";
import { createKeyDirectory, type KeyDirectory } from "./create-key-directory.js";
import type { GovernanceRepository, VirtualKey } from "./governance-types.js";
import { generateKeySecret } from "./key-secret.js";
import { makeVirtualKey } from "./testing/make-virtual-key.js";
import { outcomeCode } from "./testing/outcome-code.js";

/** An in-memory key table shared by directories, as one database is shared by instances; every query counted. */
function fakeRepository() {
  const keys: VirtualKey[] = [];
  let clockMs = Date.UTC(2026, 10, 24);
  const repository = {
    listKeys: vi.fn(async () => [...keys]),
    listTeams: vi.fn(async () => []),
    getKeyByHash: vi.fn(async (hash: string) => keys.find((key) => key.keyHash === hash) ?? null),
    changedSince: vi.fn(async (since: Date) => ({ keys: keys.filter((key) => key.updatedAt > since), teams: [] })),
  };
  const insert = (hash: string): VirtualKey => {
    const at = new Date((clockMs += 1_000));
    const key = makeVirtualKey({ id: `k${keys.length + 1}`, keyHash: hash, keyPrefix: "sk-sy-xxxxxx", createdAt: at, updatedAt: at });
    keys.push(key);
    return key;
  };
  const queries = () => repository.getKeyByHash.mock.calls.length + repository.changedSince.mock.calls.length;
  return { repository: repository as unknown as GovernanceRepository, spies: repository, insert, queries };
}

const opened: KeyDirectory[] = [];
afterEach(() => {
  for (const directory of opened.splice(0)) directory.close();
});

async function open(repository: GovernanceRepository, options: { refreshMs?: number } = {}) {
  const directory = createKeyDirectory({ repository, masterKey: "master-key-0123456789", refreshMs: options.refreshMs ?? 60_000 });
  opened.push(directory);
  await directory.start();
  return directory;
}

describe("createKeyDirectory: unknown keys", () => {
  it("answers 1,000 presentations of one unknown key with one query", async () => {
    const { repository, queries } = fakeRepository();
    const directory = await open(repository);
    const { secret } = generateKeySecret();
    for (let i = 0; i < 1_000; i++) expect(await outcomeCode(directory.authenticate(`Bearer ${secret}`))).toBe("UNAUTHENTICATED");
    expect(queries()).toBe(1);
  });

  it("answers 1,000 different unknown keys with a bounded number of queries", async () => {
    const { repository, queries, spies } = fakeRepository();
    const directory = await open(repository, { refreshMs: 50 });
    const secrets = Array.from({ length: 1_000 }, () => generateKeySecret().secret);
    const outcomes = await Promise.all(secrets.map((secret) => outcomeCode(directory.authenticate(`Bearer ${secret}`))));
    expect(new Set(outcomes)).toEqual(new Set(["UNAUTHENTICATED"]));
    // 20 look-ups by hash, then the rest wait for the next refresh (one query, whatever their number).
    expect(spies.getKeyByHash).toHaveBeenCalledTimes(20);
    // The refreshes are the directory's periodic ones (every 50 ms here), not one per key.
    expect(spies.changedSince.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(spies.changedSince.mock.calls.length).toBeLessThan(100);
    // And they are remembered: presented again, they cost nothing.
    const before = queries();
    await Promise.all(secrets.map((secret) => outcomeCode(directory.authenticate(`Bearer ${secret}`))));
    expect(queries()).toBe(before);
  });

  it("keeps at most the configured number of unknown keys", async () => {
    const { repository, spies } = fakeRepository();
    const directory = createKeyDirectory({ repository, masterKey: "master-key-0123456789", unknownKeyCacheSize: 3, maxLookupsPerRefresh: 1_000 });
    opened.push(directory);
    const secrets = Array.from({ length: 4 }, () => generateKeySecret().secret);
    for (const secret of secrets) await outcomeCode(directory.authenticate(`Bearer ${secret}`));
    await outcomeCode(directory.authenticate(`Bearer ${secrets[0]}`)); // the oldest was evicted: asked again
    await outcomeCode(directory.authenticate(`Bearer ${secrets[3]}`)); // still remembered
    expect(spies.getKeyByHash).toHaveBeenCalledTimes(5);
  });

  it("lets a key in once it exists, even after its secret was refused: created here at once, on another instance within a refresh", async () => {
    const shared = fakeRepository();
    const here = await open(shared.repository, { refreshMs: 20 });
    const local = generateKeySecret();
    const remote = generateKeySecret();
    expect(await outcomeCode(here.authenticate(`Bearer ${local.secret}`))).toBe("UNAUTHENTICATED");
    expect(await outcomeCode(here.authenticate(`Bearer ${remote.secret}`))).toBe("UNAUTHENTICATED");

    here.remember({ key: shared.insert(local.hash) }); // what createKeyAdmin does after its insert
    expect(await outcomeCode(here.authenticate(`Bearer ${local.secret}`))).toBe("OK");

    shared.insert(remote.hash); // another instance created it; this one learns it from its refresh
    await vi.waitFor(async () => expect(await outcomeCode(here.authenticate(`Bearer ${remote.secret}`))).toBe("OK"), { timeout: 2_000, interval: 10 });
  });
});

describe("createKeyDirectory: a refresh racing a local change", () => {
  /** The fake repository, whose next changedSince reads its rows at once (a snapshot) and answers only when released. */
  function heldRefresh() {
    const shared = fakeRepository();
    const read = shared.spies.changedSince.getMockImplementation()!;
    let release!: () => void;
    const started = new Promise<void>((resolveStarted) => {
      shared.spies.changedSince.mockImplementationOnce(async (since: Date) => {
        const rows = await read(since);
        const snapshot = { keys: rows.keys.map((key) => ({ ...key })), teams: rows.teams };
        resolveStarted();
        await new Promise<void>((resolve) => (release = resolve));
        return snapshot;
      });
    });
    return { ...shared, started, release: () => release() };
  }

  afterEach(() => void vi.useRealTimers());

  for (const sameMillisecond of [false, true]) {
    it(`keeps a key revoked here while a refresh that read it before was in flight${sameMillisecond ? " (in the same millisecond)" : ""}`, async () => {
      vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] }); // refreshes start only when the test says
      const held = heldRefresh();
      const { secret, hash } = generateKeySecret();
      const key = held.insert(hash);
      const directory = await open(held.repository, { refreshMs: 1_000 });
      const principal = await directory.authenticate(`Bearer ${secret}`);
      vi.advanceTimersByTime(1_000);
      await held.started; // the refresh has read the key as it was, and not yet answered

      const revokedAt = sameMillisecond ? key.updatedAt : new Date(key.updatedAt.getTime() + 1);
      Object.assign(key, { revokedAt, updatedAt: revokedAt }); // revokeKey's update, then what it does after it
      directory.remember({ key: { ...key } });
      expect(() => directory.recheck(principal)).toThrow(/revoked/);
      held.release();
      await new Promise((resolve) => setImmediate(resolve)); // the refresh has ended
      expect(held.spies.changedSince).toHaveBeenCalledTimes(1);
      expect(() => directory.recheck(principal)).toThrow(/revoked/);
      // The next refresh reads the row again, as revoked.
      vi.advanceTimersByTime(1_000);
      await vi.waitFor(() => expect(held.spies.changedSince).toHaveBeenCalledTimes(2));
      await new Promise((resolve) => setImmediate(resolve));
      expect(() => directory.recheck(principal)).toThrow(/revoked/);
    });
  }
});
