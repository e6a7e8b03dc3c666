/** True when a glob (`*` any run, `?` one character) matches the whole name. Empty list = everything. */
export function matchesAnyGlob(globs: readonly string[], names: readonly string[]): boolean {
  if (globs.length === 0) return true;
  return globs.some((glob) => {
    const pattern = new RegExp(`^${glob.split("*").map((part) => part.split("?").map(escape).join(".")).join(".*")}$`);
    return names.some((name) => pattern.test(name));
  });
}

const escape = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, "\\$&");
