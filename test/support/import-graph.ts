/**
 * The project's TypeScript imports, file by file, read with the TypeScript parser (static imports,
 * `export … from`, `require()` and `import()` with a literal path), resolved to repository files and
 * grouped by top-level folder ("unit": `app`, `config`, …, or a root file such as `serverless.ts`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing file, relative to the root, with `/`. */
  from: string;
  /** Imported file, relative to the root, with `/`. */
  to: string;
  /** `import type …` / `export type … from`: erased at run time. */
  typeOnly: boolean;
}

const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  '.serverless',
  '.esbuild',
  '.git',
  'templates',
  'fixtures',
]);

/** Every `.ts` file under `roots` (folders or files, relative to `root`). */
export function sourceFiles(root: string, roots: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) if (!SKIPPED_DIRS.has(entry)) visit(join(path, entry));
    } else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) {
      out.push(relative(root, path).split(sep).join('/'));
    }
  };
  for (const r of roots) if (existsSync(join(root, r))) visit(join(root, r));
  return out.sort();
}

/** The relative imports of `file` that resolve to a `.ts` file of the repository. */
export function importsOf(root: string, file: string): ImportEdge[] {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly = ts.isImportDeclaration(node) ? !!node.importClause?.isTypeOnly : node.isTypeOnly;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const edges: ImportEdge[] = [];
  for (const { specifier, typeOnly } of found) {
    if (!specifier.startsWith('.')) continue;
    const target = resolveTs(resolve(root, dirname(file), specifier));
    if (target) edges.push({ from: file, to: relative(root, target).split(sep).join('/'), typeOnly });
  }
  return edges;
}

function resolveTs(base: string): string | undefined {
  return [`${base}.ts`, join(base, 'index.ts'), base].find((p) => p.endsWith('.ts') && existsSync(p));
}

/** The top-level folder of a file, or the file itself when it sits at the root. */
export function unitOf(file: string): string {
  return file.includes('/') ? file.split('/')[0] : file;
}

/** Unit → units it imports, each with one file-level edge as the example. */
export function unitGraph(edges: readonly ImportEdge[]): Map<string, Map<string, ImportEdge>> {
  const graph = new Map<string, Map<string, ImportEdge>>();
  for (const edge of edges) {
    const [from, to] = [unitOf(edge.from), unitOf(edge.to)];
    if (from === to) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, edge);
  }
  return graph;
}

/** Every elementary cycle's first occurrence, as `[a, b, …, a]`, found by depth-first search. */
export function cycles(graph: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  const found = new Map<string, string[]>();
  const walk = (node: string, path: string[]) => {
    for (const next of graph.get(node)?.keys() ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = [...path.slice(at), next];
        // One key per cycle, whichever node it was entered from.
        const key = [...cycle.slice(0, -1)].sort().join(' ');
        if (!found.has(key)) found.set(key, cycle);
      } else walk(next, [...path, next]);
    }
  };
  for (const start of [...graph.keys()].sort()) walk(start, [start]);
  return [...found.values()];
}

/**
 * The file-level import cycles among `edges`: one `[a, b, …, a]` per strongly connected component
 * of more than one file (or a file importing itself), found with Tarjan's algorithm, so the check
 * stays linear in the size of the graph however many paths it has.
 */
export function fileCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, []);
    next.get(from)!.push(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next.get(v)?.includes(v)) components.push(component);
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) connect(v);
  return components.map((component) => cycleThrough(component.sort()[0], new Set(component), next));
}

/** The shortest cycle from `start` back to it inside one component (breadth-first). */
function cycleThrough(
  start: string,
  inside: ReadonlySet<string>,
  next: ReadonlyMap<string, string[]>,
): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of next.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at = v; at !== start; at = cameFrom.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** The room of a file under `scripts/`: its folder (`cli`, `deploy`, …), or undefined for other files. */
export function scriptsRoomOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts[0] === 'scripts' && parts.length > 2 ? parts[1] : undefined;
}

/**
 * The imports between rooms of `scripts/` that `rules` does not allow: a room listed in `rules`
 * (one every command shares) may import only the rooms listed for it; a command's room is not
 * listed and may import any room.
 */
export function roomViolations(
  edges: readonly ImportEdge[],
  rules: ReadonlyMap<string, ReadonlySet<string>>,
): ImportEdge[] {
  return edges.filter((e) => {
    const [from, to] = [scriptsRoomOf(e.from), scriptsRoomOf(e.to)];
    return !!from && !!to && from !== to && rules.has(from) && !rules.get(from)!.has(to);
  });
}
