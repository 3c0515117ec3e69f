/**
 * The shape of src/ (issue "One pipeline"): no import cycle between folders, no file over 400 lines, no function
 * over 80 lines without a "long because" comment. `npm run shape -- --graph` prints the graph.
 */
import { describe, expect, it } from "vitest";
import { codeShape, type FolderGraph, folderCycles } from "../scripts/code-shape.js";

const graphOf = (edges: Record<string, string[]>): FolderGraph =>
  new Map(Object.entries(edges).map(([from, tos]) => [from, new Map(tos.map((to) => [to, `${from} → ${to}`]))]));

describe("the folder graph", () => {
  it.each([
    ["a chain", { a: ["b"], b: ["c"], c: [] }, []],
    ["two folders importing each other", { a: ["b"], b: ["a"] }, [["a", "b"]]],
    ["a longer loop beside a chain", { a: ["b"], b: ["c"], c: ["a"], d: ["a"] }, [["a", "b", "c"]]],
  ])("finds the cycles in %s", (_, edges, cycles) => {
    expect(folderCycles(graphOf(edges)).map((c) => c.folders)).toEqual(cycles);
  });

  const shape = codeShape();

  it("src/ has no cycle between folders", () => {
    expect(shape.cycles).toEqual([]);
  });

  it("the stages import in the order data flows: no stage imports one that comes after it", () => {
    const order = [
      "modelfile",
      "project",
      "lint",
      "plan",
      "lock",
      "fetch",
      "build",
      "smoke",
      "compare",
      "report",
      "publish",
    ];
    const backwards = [...shape.graph].flatMap(([from, targets]) =>
      [...targets].filter(([to]) => order.includes(from) && order.indexOf(to) > order.indexOf(from)).map(([, e]) => e),
    );
    expect(backwards).toEqual([]);
  });

  it("the front ends are the only importers of the pipeline, and nothing imports a front end", () => {
    const importers = (folder: string) =>
      [...shape.graph].filter(([, targets]) => targets.has(folder)).map(([from]) => from);
    expect(importers("pipeline").sort()).toEqual(["action", "cli"]);
    expect(importers("action")).toEqual(["(src)/index.ts"]);
    expect(importers("cli")).toEqual(["(src)/cli.ts"]);
  });

  it("no file over 400 lines, no function over 80 lines without a reason", () => {
    expect(shape.longFiles).toEqual([]);
    expect(shape.longFunctions).toEqual([]);
  });
});
