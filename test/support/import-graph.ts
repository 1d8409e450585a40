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
