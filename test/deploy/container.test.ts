import "reflect-metadata";
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startSwitchyard } from "../../src/app/start-switchyard.js";
import type { Switchyard } from "../../src/app/switchyard.js";
import { loadConfig } from "../../src/config/index.js";
import { findProjectRoot } from "../../src/server/find-project-root.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { deleteKeysUnder, findTestRedis, uniqueKeyPrefix } from "../helpers/test-redis.js";

// Docker's daemon is not needed here: what the image and compose.yaml rely on is checked against the repository.
const root = findProjectRoot();
const read = (file: string) => readFileSync(join(root, file), "utf8");
const dockerfile = read("Dockerfile");

/** A Dockerfile instruction's JSON (exec form) arguments, e.g. CMD ["node", …]. */
/** The image's CMD split into node, its flags (before the script), the script and the script's arguments. */
function imageCommand(): { node: string; flags: string[]; entry: string; args: string[] } {
  const [node, ...rest] = execForm("CMD");
  const script = rest.findIndex((word) => !word.startsWith("--"));
  return { node: node!, flags: rest.slice(0, script), entry: rest[script]!, args: rest.slice(script + 1) };
}

function execForm(instruction: string): string[] {
  const line = dockerfile.replace(/\\\n\s*/g, " ").split("\n").find((l) => l.startsWith(`${instruction} `));
  if (!line) throw new Error(`no ${instruction} in the Dockerfile`);
  const json = line.slice(line.indexOf("["));
  return JSON.parse(json) as string[];
}

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  image?: string;
}
const compose = parse(read("compose.yaml"), { merge: true }) as { services: Record<string, ComposeService> };
const instances = ["switchyard-1", "switchyard-2"].map((name) => compose.services[name]!);
const MASTER_KEY = "sk-compose-test-master";

/** compose.yaml's environment of an instance, with ${VAR:?…} filled in as a user's .env would. */
function composeEnv(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, v.startsWith("${SWITCHYARD_MASTER_KEY") ? MASTER_KEY : v]));
}

describe("the container image (Dockerfile)", () => {
  it("is multi-stage, runs as a non-root user and has a health check", () => {
    expect(dockerfile.match(/^FROM .+ AS \w+$/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });

  it("starts a file the build emits, the same one `npm run start:only` starts", () => {
    const { node, flags, entry, args } = imageCommand();
    expect(node).toBe("node");
    expect(flags).toEqual(["--max-semi-space-size=32"]);
    // tsc -p tsconfig.build.json (rootDir ".", outDir dist) turns src/main.ts into dist/src/main.js.
    const build = JSON.parse(read("tsconfig.build.json")) as { compilerOptions: { rootDir: string }; include: string[] };
    expect(build.compilerOptions.rootDir).toBe(".");
    expect(build.include).toContain("src");
    expect((JSON.parse(read("tsconfig.json")) as { compilerOptions: { outDir: string } }).compilerOptions.outDir.replace(/^\.\//, "")).toBe("dist");
    expect(entry).toMatch(/^dist\/src\/.+\.js$/);
    expect(existsSync(join(root, entry.replace(/^dist\//, "").replace(/\.js$/, ".ts")))).toBe(true);
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["start:only"]).toBe(["node", ...flags, entry].join(" "));
    expect(scripts.start).toMatch(new RegExp(`&& ${["node", ...flags, entry].join(" ")}$`));
    expect(args).toEqual(["--config", "deploy/switchyard.yaml"]);
  });

  it("passes the same node flags to the `switchyard` command, through the shebang npm's bin link runs", () => {
    const { flags } = imageCommand();
    const pkg = JSON.parse(read("package.json")) as { bin: Record<string, string>; scripts: Record<string, string> };
    // The bin is tsc's output of src/cli/main.ts, which keeps the first line as it is.
    const bin = pkg.bin.switchyard!;
    expect(bin).toMatch(/^dist\/src\/.+\.js$/);
    const shebang = read(bin.replace(/^dist\//, "").replace(/\.js$/, ".ts")).split("\n")[0]!;
    expect(shebang).toBe(["#!/usr/bin/env -S node", ...flags].join(" "));
    expect(pkg.scripts.switchyard).toMatch(new RegExp(`&& ${["node", ...flags, bin].join(" ")}$`));
    // What a bin link does on Linux and macOS: a symlink the kernel runs through the shebang (env -S splits it).
    const dir = mkdtempSync(join(tmpdir(), "switchyard-bin-"));
    try {
      const script = join(dir, "main.js");
      writeFileSync(script, `${shebang}\nprocess.stdout.write(JSON.stringify(process.execArgv));\n`);
      chmodSync(script, 0o755);
      symlinkSync(script, join(dir, "switchyard"));
      expect(JSON.parse(execFileSync(join(dir, "switchyard"), { encoding: "utf8" }))).toEqual(flags);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("copies every file the gateway reads at run time from the package root", () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)].map((m) => m[1]!);
    for (const source of copied) expect(existsSync(join(root, source)), source).toBe(true);
    for (const needed of ["drizzle", "src/accounting/price-catalog.json", "src/routing/quality/builtin-router.json", "src/server/dashboard/public", "deploy/switchyard.yaml"]) {
      expect(copied, needed).toContain(needed);
    }
    // .dockerignore keeps the local node_modules and build out of the build context.
    const ignored = read(".dockerignore").split("\n");
    expect(ignored).toEqual(expect.arrayContaining(["node_modules", "dist", ".switchyard"]));
  });
});

describe("compose.yaml", () => {
  it("runs Postgres, Redis and two Switchyard instances behind nginx, the second after the first is healthy", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["nginx", "postgres", "redis", "switchyard-1", "switchyard-2"]);
    for (const instance of instances) {
      // The image's own command, with the repository's config mounted where it reads it.
      expect(instance.command).toBeUndefined();
      expect(instance.volumes).toContain(`./deploy/switchyard.yaml:/app/${imageCommand().args[1]}:ro`);
      expect(instance.environment).toMatchObject({ DATABASE_URL: expect.stringMatching(/@postgres:5432\//), SWITCHYARD_REDIS_URL: "redis://redis:6379" });
    }
    expect(compose.services["switchyard-1"]!.depends_on).toEqual({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" } });
    expect(compose.services["switchyard-2"]!.depends_on).toEqual({ "switchyard-1": { condition: "service_healthy" } });
    expect(compose.services.nginx!.volumes).toContain("./deploy/nginx.conf:/etc/nginx/nginx.conf:ro");
  });

  it("nginx balances over both instances on the port their config listens on, WebSockets included", () => {
    const nginx = read("deploy/nginx.conf");
    const port = loadConfig({ path: join(root, "deploy/switchyard.yaml"), env: composeEnv(instances[0]!) }).server.port;
    const servers = [...nginx.matchAll(/^\s*server (\S+?)(?::(\d+))? /gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers).toEqual([`switchyard-1:${port}`, `switchyard-2:${port}`]);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_buffering off;/);
  });

  it("its Switchyard config passes the gateway's config validation, with the database and Redis from the environment", () => {
    const config = loadConfig({ path: join(root, "deploy/switchyard.yaml"), env: composeEnv(instances[0]!) });
    expect(config.server.host).toBe("0.0.0.0");
    expect(config.database.url).toBe("postgres://switchyard:switchyard@postgres:5432/switchyard");
    expect(config.state.redis.url).toBe("redis://redis:6379");
    expect(config.models.map((m) => m.name)).toEqual(["fast", "smart"]);
  });
});

describe("the image's health check against a gateway started from the compose config", () => {
  const database = useTestDatabase();
  let switchyard: Switchyard;
  let stateDir: string;
  let redis: { url: string; prefix: string } | undefined;
  beforeAll(async () => {
    const config = loadConfig({ path: join(root, "deploy/switchyard.yaml"), env: composeEnv(instances[0]!) });
    // The test's own database and Redis stand in for compose's (Redis in memory when there is none).
    const redisUrl = await findTestRedis();
    redis = redisUrl ? { url: redisUrl, prefix: uniqueKeyPrefix() } : undefined;
    config.state.redis = { ...config.state.redis, ...(redis ? { url: redis.url, keyPrefix: redis.prefix } : { url: undefined }) };
    stateDir = mkdtempSync(join(tmpdir(), "switchyard-compose-"));
    switchyard = await startSwitchyard({ config, logger: pino({ level: "silent" }), port: 0, host: "127.0.0.1", database: database.database, stateDir, masterKey: MASTER_KEY });
  });
  afterAll(async () => {
    await switchyard?.close();
    if (redis) await deleteKeysUnder(redis.url, [redis.prefix]);
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** Runs the Dockerfile's HEALTHCHECK command as Docker would, with PORT pointing at the gateway. */
  function healthCheck(port: string): Promise<number | null> {
    const [command, ...args] = execForm("HEALTHCHECK");
    const child = spawn(command === "node" ? process.execPath : command!, args, { env: { ...process.env, PORT: port }, stdio: "ignore" });
    return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  it("passes while the gateway is ready and answers the path it checks", async () => {
    const port = new URL(switchyard.url).port;
    const script = execForm("HEALTHCHECK").join(" ");
    const path = /\/(readyz|healthz)/.exec(script)?.[0];
    expect(path).toBe("/readyz");
    const response = await fetch(`${switchyard.url}${path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ready" });
    expect(await healthCheck(port)).toBe(0);
  });

  it("fails when nothing answers on the port", async () => {
    expect(await healthCheck("1")).toBe(1);
  });
});
