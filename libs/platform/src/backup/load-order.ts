/**
 * Tables in an order where every table comes after the tables its foreign keys point to, so rows
 * can be loaded with every constraint checked. A self-reference is fine (checked at the end of the
 * COPY statement); a cycle between tables is not, and is named.
 */
export function loadOrder(
  tables: readonly string[],
  references: readonly { child: string; parent: string }[],
): string[] {
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of references) {
    if (child !== parent && parents.has(child) && parents.has(parent)) parents.get(child)!.add(parent);
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  const remaining = [...tables].sort();
  while (remaining.length) {
    const ready = remaining.filter((t) => [...parents.get(t)!].every((p) => placed.has(p)));
    if (!ready.length) throw new Error(`foreign keys form a cycle among: ${remaining.join(', ')}`);
    for (const t of ready) {
      ordered.push(t);
      placed.add(t);
      remaining.splice(remaining.indexOf(t), 1);
    }
  }
  return ordered;
}
