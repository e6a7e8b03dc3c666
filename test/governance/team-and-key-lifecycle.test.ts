import { describe, expect, it } from "vitest";
import {
  CreateTeamDocument,
  DeleteTeamDocument,
  MeDocument,
  RevokeVirtualKeyDocument,
  RotateVirtualKeyDocument,
  TeamsDocument,
  UpdateTeamDocument,
  VirtualKeysDocument,
} from "../gql/graphql.js";
import { useTestGateway } from "../helpers/use-test-gateway.js";
import { createTestKey } from "./create-test-key.js";
import { GOVERNANCE_CONFIG, MASTER_KEY } from "./governance-config.js";

const gateway = useTestGateway(GOVERNANCE_CONFIG, { masterKey: MASTER_KEY });

async function newTeam(name: string) {
  const result = await gateway.execute(CreateTeamDocument, { input: { name, rpm: 10, budget: { limitUsd: 5 } } });
  expect(result.errors).toBeUndefined();
  return result.data!.createTeam;
}

const newKey = (teamId?: string) => createTestKey(gateway, teamId ? { teamId } : {});

/** `me` with a secret: the key's id, or the error code. */
async function whoIs(secret: string): Promise<string> {
  const result = await gateway.execute(MeDocument, {}, secret);
  return result.data?.me.key?.id ?? String(result.errors?.[0]?.extensions?.code);
}

describe("updateTeam", () => {
  it("changes the fields given, clears those set to null, and keeps the rest", async () => {
    const team = await newTeam("platform");
    const result = await gateway.execute(UpdateTeamDocument, { id: team.id, input: { name: "platform-2", tpm: 5000, rpm: null, metadata: { owner: "ana" } } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateTeam).toMatchObject({ id: team.id, name: "platform-2", rpm: null, tpm: 5000, metadata: { owner: "ana" }, budget: { limitUsd: 5 } });
    const listed = (await gateway.execute(TeamsDocument, {})).data!.teams.find((t) => t.id === team.id);
    expect(listed).toMatchObject({ name: "platform-2" });
  });

  it("refuses an unknown team, a name another team has, an empty name and negative limits", async () => {
    const a = await newTeam("team-a");
    await newTeam("team-b");
    const code = async (id: string, input: Record<string, unknown>) => (await gateway.execute(UpdateTeamDocument, { id, input })).errors?.[0]?.message;
    expect(await code("00000000-0000-4000-8000-000000000000", { tpm: 1 })).toMatch(/no team/);
    expect(await code(a.id, { name: "team-b" })).toMatch(/exists already/);
    expect(await code(a.id, { name: " " })).toMatch(/must not be empty/);
    expect(await code(a.id, { name: null })).toMatch(/needs a name/);
    expect(await code(a.id, { rpm: -1 })).toMatch(/rpm: must be a whole number/);
  });

  it("is for the master key only", async () => {
    const team = await newTeam("guarded");
    const { secret } = await newKey();
    const result = await gateway.execute(UpdateTeamDocument, { id: team.id, input: { tpm: 1 } }, secret);
    expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("deleteTeam", () => {
  it("refuses a team with active keys, naming how many; with revokeKeys it revokes them and leaves them without a team", async () => {
    const team = await newTeam("to-delete");
    const first = await newKey(team.id);
    const second = await newKey(team.id);
    await gateway.execute(RevokeVirtualKeyDocument, { id: second.key.id });
    const refused = await gateway.execute(DeleteTeamDocument, { id: team.id });
    expect(refused.errors?.[0]?.message).toMatch(/has 1 active key.*revokeKeys: true/);
    expect(await whoIs(first.secret)).toBe(first.key.id);

    const deleted = await gateway.execute(DeleteTeamDocument, { id: team.id, revokeKeys: true });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data!.deleteTeam).toEqual({ id: team.id, name: "to-delete", revokedKeys: 1, detachedKeys: 2 });
    expect(await whoIs(first.secret)).toBe("FORBIDDEN");
    const keys = (await gateway.execute(VirtualKeysDocument, {})).data!.virtualKeys.filter((k) => [first.key.id, second.key.id].includes(k.id));
    expect(keys.map((k) => [k.teamId, k.active])).toEqual([
      [null, false],
      [null, false],
    ]);
    expect((await gateway.execute(TeamsDocument, {})).data!.teams.some((t) => t.id === team.id)).toBe(false);
    expect((await gateway.execute(DeleteTeamDocument, { id: team.id })).errors?.[0]?.message).toMatch(/no team/);
  });

  it("deletes a team without keys at once", async () => {
    const team = await newTeam("empty");
    expect((await gateway.execute(DeleteTeamDocument, { id: team.id })).data!.deleteTeam).toEqual({ id: team.id, name: "empty", revokedKeys: 0, detachedKeys: 0 });
  });
});

describe("rotateVirtualKey", () => {
  it("returns a new secret; the secret before keeps working for the grace period", async () => {
    const { key, secret: before } = await newKey();
    const rotated = await gateway.execute(RotateVirtualKeyDocument, { id: key.id, graceSeconds: 3600 });
    expect(rotated.errors).toBeUndefined();
    const { secret: after, previousSecretValidUntil, key: view } = rotated.data!.rotateVirtualKey;
    expect(after).not.toBe(before);
    expect(view.keyPrefix).toBe(after.slice(0, 12));
    const graceEnd = new Date(previousSecretValidUntil).getTime();
    expect(graceEnd).toBeGreaterThan(Date.now() + 3500_000);
    expect(graceEnd).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(await whoIs(after)).toBe(key.id);
    expect(await whoIs(before)).toBe(key.id);
  });

  it("refuses the secret before once the grace period has ended, and a second rotation ends the first one's grace", async () => {
    const { key, secret: first } = await newKey();
    const second = (await gateway.execute(RotateVirtualKeyDocument, { id: key.id, graceSeconds: 0 })).data!.rotateVirtualKey.secret;
    expect(await whoIs(first)).toBe("UNAUTHENTICATED");
    expect(await whoIs(second)).toBe(key.id);
    const third = (await gateway.execute(RotateVirtualKeyDocument, { id: key.id })).data!.rotateVirtualKey;
    // The default grace (keys.rotationGraceSeconds) is a day.
    expect(new Date(third.previousSecretValidUntil).getTime()).toBeGreaterThan(Date.now() + 86_000_000);
    expect(await whoIs(second)).toBe(key.id);
    expect(await whoIs(third.secret)).toBe(key.id);
    expect(await whoIs(first)).toBe("UNAUTHENTICATED");
  });

  it("refuses a revoked key, an unknown key and a negative grace", async () => {
    const { key } = await newKey();
    expect((await gateway.execute(RotateVirtualKeyDocument, { id: key.id, graceSeconds: -1 })).errors?.[0]?.message).toMatch(/graceSeconds/);
    await gateway.execute(RevokeVirtualKeyDocument, { id: key.id });
    expect((await gateway.execute(RotateVirtualKeyDocument, { id: key.id })).errors?.[0]?.message).toMatch(/revoked/);
    expect((await gateway.execute(RotateVirtualKeyDocument, { id: "00000000-0000-4000-8000-000000000000" })).errors?.[0]?.message).toMatch(/no virtual key/);
  });
});
