import type { DrizzleDb } from "../../src/db/index.js";

/** The database as seen while the server is down: every transaction fails the way a cut connection does. */
export function unreachableDb(db: DrizzleDb): DrizzleDb {
  return new Proxy(db, {
    get(target, property) {
      if (property === "transaction") return async () => Promise.reject(Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" }));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
