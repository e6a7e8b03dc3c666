/** A config that cannot be used; `problems` lists every one, each led by its path. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    super(`Invalid config (${source}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }

  static isInstance(error: unknown): error is ConfigError {
    return error instanceof ConfigError;
  }
}

/** `["models", 1, "deployments", 0, "provider"]` → `models[1].deployments[0].provider` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || "(root)";
}
