import type { ModelGroupInfo } from "../services.js";

/**
 * Every name a client may ask a group by: the group's own and its aliases (as configured now). A
 * name that is no group's stands for itself, so calls asked for a group removed since still count.
 */
export function groupNames(groups: readonly ModelGroupInfo[], name: string): string[] {
  const group = groups.find((candidate) => candidate.name === name || candidate.aliases.includes(name));
  return group ? [group.name, ...group.aliases] : [name];
}
