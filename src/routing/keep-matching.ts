/**
 * `list.filter(keep)`, except that when every item is kept the list itself comes back instead of a
 * copy: the attempt loop narrows every group on every call, and usually nothing is left out.
 * `keep` runs once per item, in order, as with `filter`.
 */
export function keepMatching<T>(list: readonly T[], keep: (item: T) => boolean): readonly T[] {
  for (let i = 0; i < list.length; i++) {
    if (keep(list[i]!)) continue;
    const kept = list.slice(0, i);
    for (let j = i + 1; j < list.length; j++) if (keep(list[j]!)) kept.push(list[j]!);
    return kept;
  }
  return list;
}
