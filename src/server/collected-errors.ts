import type { GraphQLError } from "graphql";
import type { Path } from "graphql/jsutils/Path.js";

/** graphql-js's: an error is kept unless its field or one above it already gave one (null propagated past it). */
export class CollectedErrors {
  /** Made with the first error: most runs have none. */
  private positions: Set<Path | undefined> | undefined;
  readonly errors: GraphQLError[] = [];

  add(error: GraphQLError, path: Path | undefined): void {
    const positions = (this.positions ??= new Set());
    for (let at = path; at !== undefined; at = at.prev) if (positions.has(at)) return;
    if (positions.has(undefined)) return;
    positions.add(path);
    this.errors.push(error);
  }
}
