import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository's drizzle/ folder, found by walking up from this module to the folder
 * holding package.json: the same code runs as src/db/*.ts under vitest and as
 * dist/src/db/*.js after tsc, at different depths.
 */
export function findMigrationsFolder(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) {
      const folder = join(dir, "drizzle");
      if (!existsSync(join(folder, "meta", "_journal.json"))) {
        throw new Error(`No drizzle migrations found in ${folder} (missing meta/_journal.json)`);
      }
      return folder;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${fileURLToPath(fromUrl)}: cannot locate drizzle/`);
    dir = parent;
  }
}
