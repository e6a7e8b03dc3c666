import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

// The command as users run it, in its own process; the sources compiled on load by SWC.
const cliFile = join(process.cwd(), "src", "cli", "main.ts");
const register = join(process.cwd(), "test", "helpers", "swc-node", "register.mjs");
const run = promisify(execFile);
const MASTER_KEY = "sy-master-cli-test-key";
const MODELS = "models:\n  - name: fast\n    deployments:\n      - { id: sim, provider: simulator, model: gpt-4o-mini }\n";

const dir = mkdtempSync(join(tmpdir(), "switchyard-cli-"));
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(MODELS, { masterKey: MASTER_KEY });
});
afterAll(async () => {
  await gateway?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function switchyard(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", ...env };
  delete childEnv.DATABASE_URL;
  if (!env.SWITCHYARD_MASTER_KEY) delete childEnv.SWITCHYARD_MASTER_KEY;
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", register, cliFile, ...args], { cwd: dir, env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const admin = (args: string[]) => switchyard(["--url", gateway.url, ...args], { SWITCHYARD_MASTER_KEY: MASTER_KEY });

describe("switchyard CLI", () => {
  // Each run compiles the sources on load: slow on a loaded machine.
  it("has --help on the program and on each command", { timeout: 300_000 }, async () => {
    const [top, keys, teamsDelete, configCheck, serve] = await Promise.all([
      switchyard(["--help"]),
      switchyard(["keys", "--help"]),
      switchyard(["teams", "delete", "--help"]),
      switchyard(["config", "check", "--help"]),
      switchyard(["serve", "--help"]),
    ]);
    for (const name of ["serve", "migrate", "config", "keys", "teams", "router", "bench"]) expect(top.stdout).toContain(name);
    for (const name of ["create", "list", "revoke", "rotate"]) expect(keys.stdout).toContain(name);
    expect(teamsDelete.stdout).toContain("--revoke-keys");
    expect(configCheck.stdout).toMatch(/every problem at once/);
    expect(serve.stdout).toMatch(/start the gateway/);
    expect([top, keys, teamsDelete, configCheck, serve].map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
  });

  it("config check lists every problem and exits 1, or says OK; migrate migrates the configured database", { timeout: 300_000 }, async () => {
    writeFileSync(join(dir, "bad.yaml"), "models:\n  - name: fast\n    deployments:\n      - { id: a, provider: opnai, model: m }\n      - { id: b, provider: openai, model: m, apiKey: '${NO_SUCH_KEY}' }\n");
    const dataDir = join(dir, "pgdata");
    writeFileSync(join(dir, "good.yaml"), `database: { dataDir: ${JSON.stringify(dataDir)} }\n${MODELS}`);
    const [bad, good, migrated] = await Promise.all([
      switchyard(["--config", "bad.yaml", "config", "check"]),
      switchyard(["-c", "good.yaml", "config", "check"]),
      switchyard(["-c", "good.yaml", "migrate"]),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown provider "opnai"');
    expect(bad.stderr).toContain("${NO_SUCH_KEY} is not set");
    expect(good).toMatchObject({ code: 0, stdout: "good.yaml: OK (1 model groups, 1 deployments)\n" });
    expect(migrated.stderr).toBe("");
    expect(migrated).toMatchObject({ code: 0, stdout: `migrations applied (embedded PGlite in ${dataDir})\n` });
  });

  it("manages teams and keys on a running Switchyard", { timeout: 300_000 }, async () => {
    const team = JSON.parse((await admin(["teams", "create", "cli-team", "--rpm", "60"])).stdout) as { id: string; rpm: number };
    expect(team.rpm).toBe(60);
    const created = JSON.parse((await admin(["keys", "create", "--name", "cli-key", "--team", team.id, "--models", "fast,gpt-*"])).stdout) as { secret: string; key: { id: string; allowedModels: string[] } };
    expect(created.key.allowedModels).toEqual(["fast", "gpt-*"]);
    const [listed, updated, rotated] = await Promise.all([
      admin(["keys", "list"]),
      admin(["teams", "update", team.id, "--name", "cli-team-2", "--tpm", "1000"]),
      admin(["keys", "rotate", created.key.id, "--grace", "60"]),
    ]);
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((k) => k.id)).toContain(created.key.id);
    expect(JSON.parse(updated.stdout)).toMatchObject({ name: "cli-team-2", tpm: 1000, rpm: 60 });
    expect(JSON.parse(rotated.stdout).secret).not.toBe(created.secret);
    const refused = await admin(["teams", "delete", team.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/BAD_USER_INPUT: .*active key/);
    expect(JSON.parse((await admin(["teams", "delete", team.id, "--revoke-keys"])).stdout)).toEqual({ id: team.id, name: "cli-team-2", revokedKeys: 1, detachedKeys: 1 });
    const revoked = await admin(["keys", "revoke", created.key.id]);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: created.key.id, active: false });
    const noKey = await switchyard(["--url", gateway.url, "keys", "list"]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/UNAUTHENTICATED/);
  });
});
