/** The dependency graph between a project's models: build order and cycles. */

export interface GraphNode {
  name: string;
  /** Names of the project models this one builds FROM. */
  dependsOn: readonly string[];
}

/** Strongly connected components with more than one model, or a model that builds FROM itself. */
export function findCycles(nodes: readonly GraphNode[]): string[][] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;

  const visit = (name: string): void => {
    index.set(name, counter);
    lowLink.set(name, counter);
    counter++;
    stack.push(name);
    onStack.add(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(dependency)) continue;
      if (!index.has(dependency)) {
        visit(dependency);
        lowLink.set(name, Math.min(lowLink.get(name) as number, lowLink.get(dependency) as number));
      } else if (onStack.has(dependency)) {
        lowLink.set(name, Math.min(lowLink.get(name) as number, index.get(dependency) as number));
      }
    }
    if (lowLink.get(name) === index.get(name)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== name);
      const selfLoop = byName.get(name)?.dependsOn.includes(name) ?? false;
      if (component.length > 1 || selfLoop) cycles.push(component.sort());
    }
  };

  for (const node of nodes) if (!index.has(node.name)) visit(node.name);
  return cycles;
}

/** Dependencies before dependants, ties by name; models in cycles are left out. */
export function buildOrder(nodes: readonly GraphNode[]): string[] {
  const inCycle = new Set(findCycles(nodes).flat());
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const order: string[] = [];
  const placed = new Set<string>();
  const place = (name: string): boolean => {
    if (placed.has(name)) return true;
    if (inCycle.has(name)) return false;
    const node = byName.get(name);
    if (node === undefined) return true;
    for (const dependency of [...node.dependsOn].sort()) if (!place(dependency)) return false;
    placed.add(name);
    order.push(name);
    return true;
  };
  for (const name of [...byName.keys()].sort()) place(name);
  return order;
}
