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
