import { describe, expect, it } from "vitest";
import { buildOrder, findCycles } from "../../src/project/graph.js";

describe("dependency graph", () => {
  const node = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });

  it("orders dependencies first", () => {
    expect(buildOrder([node("c", "b"), node("b", "a"), node("a"), node("d")])).toEqual(["a", "b", "c", "d"]);
  });

  it("finds cycles, self-loops included, and leaves their models out of the order", () => {
    const nodes = [node("a", "b"), node("b", "a"), node("c", "a"), node("s", "s"), node("ok")];
    expect(findCycles(nodes)).toEqual([["a", "b"], ["s"]]);
    expect(buildOrder(nodes)).toEqual(["ok"]);
  });
});
