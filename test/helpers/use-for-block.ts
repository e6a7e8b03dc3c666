import { afterAll, beforeAll } from "vitest";

/**
 * Registers the hooks that `open` something before the tests of the file or describe block it is called in
 * and `close` it after them; the answer returns it in those hooks and tests (and throws elsewhere, naming
 * `what`). Hooks registered after this call run after the opening and before the closing.
 */
export function useForBlock<T>(what: string, open: () => Promise<T>, close: (opened: T) => Promise<void>): () => T {
  let opened: T | undefined;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    if (opened !== undefined) await close(opened);
    opened = undefined;
  });
  return () => {
    if (opened === undefined) throw new Error(`the ${what} is open only in the hooks and tests of the block that uses it`);
    return opened;
  };
}
