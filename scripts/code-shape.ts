#!/usr/bin/env node
// The shape of src/: the folders' import graph and its cycles, files over 400 lines, and functions over 80
// lines without a reason (a comment before the function containing "long because"). Prints JSON; exits 1
// when something is out of shape. test/architecture.test.ts runs the same checks.
//   npm run shape [-- --graph]
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 80;
const LONG_REASON = /long because/i;

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export function sourceFiles(dir = path.join(root, "src")): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (entry.name.endsWith(".ts")) files.push(full);
  }
  return files.sort();
}

/** `src/build/stage.ts` → `build`; a file directly in src/ is its own node, `(src)/cli.ts`. */
export function folderOf(file: string): string {
  const parts = path.relative(path.join(root, "src"), file).split(path.sep);
  return parts.length === 1 ? `(src)/${parts[0]}` : (parts[0] as string);
}

/** Relative imports of a file, resolved to .ts paths. */
export function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push((node.arguments[0] as ts.StringLiteral).text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((s) => s.startsWith("."))
    .map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, ".ts"));
}

/** Folder → the folders it imports from, with one example import per edge. */
export type FolderGraph = Map<string, Map<string, string>>;

export interface Cycle {
  folders: string[];
  /** One import per edge inside the cycle: `src/a/x.ts → src/b/y.ts`. */
  edges: string[];
}

export function folderGraph(files = sourceFiles()): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const target of importsOf(file)) {
      const to = folderOf(target);
      if (to === from || edges.has(to)) continue;
      edges.set(to, `${path.relative(root, file)} → ${path.relative(root, target)}`);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan). */
export function folderCycles(graph: FolderGraph): Cycle[] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: Cycle[] = [];
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) {
        const edges: string[] = [];
        for (const a of component)
          for (const [b, example] of graph.get(a) ?? []) if (component.includes(b)) edges.push(example);
        cycles.push({ folders: component.sort(), edges });
      }
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return cycles;
}

const FUNCTION_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

/** The comments before a function, or before the statement that declares it (`const f = () => …`). */
function leadingComments(node: ts.Node, text: string): string {
  let holder = node;
  while (holder.parent !== undefined && !ts.isSourceFile(holder.parent) && !ts.isBlock(holder.parent)) {
    if (ts.isClassDeclaration(holder.parent) || ts.isObjectLiteralExpression(holder.parent)) break;
    holder = holder.parent;
  }
  const ranges = ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? [];
  return ranges.map((r) => text.slice(r.pos, r.end)).join("\n");
}

export interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
  /** Whether a comment before it says why ("long because …"). */
  reason: boolean;
}

/** Functions longer than the limit, and whether a comment gives the reason. */
export function longFunctions(file: string): LongFunction[] {
  const text = fs.readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node) => {
    if (FUNCTION_KINDS.has(node.kind) && (node as ts.FunctionLikeDeclaration).body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION_LINES) {
        const named = (n: ts.Node | undefined) => (n as { name?: ts.Node } | undefined)?.name?.getText();
        const name = named(node) ?? named(node.parent) ?? "(anonymous)";
        found.push({
          file: path.relative(root, file),
          line: start,
          name,
          lines,
          reason: LONG_REASON.test(leadingComments(node, text)),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function codeShape() {
  const files = sourceFiles();
  const graph = folderGraph(files);
  return {
    cycles: folderCycles(graph),
    longFiles: files
      .map((file) => ({ file: path.relative(root, file), lines: fs.readFileSync(file, "utf8").split("\n").length - 1 }))
      .filter((f) => f.lines > MAX_FILE_LINES),
    longFunctions: files.flatMap(longFunctions).filter((f) => !f.reason),
    graph,
  };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const shape = codeShape();
  if (process.argv.includes("--graph")) {
    for (const [from, targets] of [...shape.graph].sort())
      console.log(`${from} → ${[...targets.keys()].sort().join(", ")}`);
  }
  const { graph, ...problems } = shape;
  console.log(JSON.stringify(problems, null, 2));
  process.exitCode = problems.cycles.length + problems.longFiles.length + problems.longFunctions.length > 0 ? 1 : 0;
}
