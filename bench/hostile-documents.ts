/** Documents from issue 10 that stalled the server; used by bench/graphql-limits-probe.ts and the limit tests. */

/** Fragments that each spread the next twice (904 bytes at depth 22): 2^depth field visits for a rule that walks every spread. */
export function fragmentDoublingDocument(depth: number): string {
  const fragments = Array.from({ length: depth }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query { ...F0 }\n${fragments.join("\n")}\nfragment F${depth} on Query { __typename }`;
}

/** `count` distinct aliases of `__typename` in one query. */
export function typenameAliasDocument(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`a${i}: __typename`);
  return `{ ${parts.join(" ")} }`;
}

/** `count` aliases that each ask for every argument of every field of every type. */
export function schemaAliasDocument(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: __schema { types { fields { args { name } } } }`).join(" ")} }`;
}
