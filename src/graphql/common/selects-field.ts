import type { GraphQLResolveInfo, SelectionSetNode } from "graphql";

/**
 * Whether the current field's selection asks for `name` directly. Any fragment in the selection
 * counts as "maybe" (true), so a caller can only skip work that is certainly not needed.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) => (node.selectionSet ? mentions(node.selectionSet, name) : false));
}

function mentions(selectionSet: SelectionSetNode, name: string): boolean {
  return selectionSet.selections.some((selection) => selection.kind !== "Field" || selection.name.value === name);
}

/**
 * Whether any of the `parents` fields selected by the current field asks for any of `names`
 * (e.g. `rows { latencyP95Ms }`). Fragments at either level count as "maybe" (true).
 */
export function selectsFieldWithin(info: GraphQLResolveInfo, parents: readonly string[], names: readonly string[]): boolean {
  return info.fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some(
      (selection) =>
        selection.kind !== "Field" ||
        (parents.includes(selection.name.value) && selection.selectionSet !== undefined && names.some((name) => mentions(selection.selectionSet!, name))),
    ),
  );
}
