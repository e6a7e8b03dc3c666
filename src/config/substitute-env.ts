const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/;

/** A `${VAR}` without a default whose variable is unset or empty, and where in the config it was. */
export interface UnsetVariable {
  /** e.g. `models[0].deployments[1].apiKey` */
  path: string;
  name: string;
}

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed YAML tree.
 * A string that is exactly one unset `${VAR}` becomes undefined, so optional fields fall back to their defaults.
 * Every unset `${VAR}` without a default is appended to `unset`, so that a field it left empty is reported by name.
 */
export function substituteEnv(value: unknown, env: Record<string, string | undefined>, unset: UnsetVariable[] = [], path = ""): unknown {
  if (typeof value === "string") {
    const whole = WHOLE.exec(value);
    if (whole) {
      const resolved = env[whole[1]!];
      if (resolved === undefined || resolved === "") {
        if (whole[2] === undefined) unset.push({ path: path || "(root)", name: whole[1]! });
        return whole[2];
      }
      return resolved;
    }
    return value.replace(PATTERN, (_, name: string, fallback?: string) => {
      if (!env[name] && fallback === undefined) unset.push({ path: path || "(root)", name });
      return env[name] || fallback || "";
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, unset, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const replaced = substituteEnv(item, env, unset, path === "" ? key : `${path}.${key}`);
      if (replaced !== undefined) out[key] = replaced;
    }
    return out;
  }
  return value;
}
