// Fails when src/db/schema has changes that no migration in drizzle/ covers (`npm run db:check`).
// It runs drizzle-kit generate and looks for new or changed files under drizzle/, then puts drizzle/ back.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const backup = mkdtempSync(join(tmpdir(), "switchyard-drizzle-"));
cpSync("drizzle", backup, { recursive: true });
const snapshot = () => execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "--", "drizzle"], { encoding: "utf8" });
const before = snapshot();
let after = before;
try {
  execFileSync("npx", ["drizzle-kit", "generate", "--name", "drift-check"], { stdio: ["ignore", "pipe", "inherit"] });
  after = snapshot();
} finally {
  rmSync("drizzle", { recursive: true, force: true });
  cpSync(backup, "drizzle", { recursive: true });
  rmSync(backup, { recursive: true, force: true });
}
if (after !== before) {
  process.stderr.write("drizzle/ is stale: the schema in src/db/schema has changes no migration covers. Run `npm run db:generate` and commit.\n");
  process.stderr.write(after);
  process.exit(1);
}
process.stdout.write("drizzle/ migrations match src/db/schema.\n");
