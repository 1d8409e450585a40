import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import ts from 'typescript';
import { REPO_ROOT } from '../config';
import {
  cycles,
  fileCycles,
  type ImportEdge,
  importsOf,
  roomViolations,
  sourceFiles,
  unitGraph,
  unitOf,
} from './support/import-graph';

/** The top-level folders and files tsconfig.json compiles: everything that holds TypeScript. */
const ROOTS = ['serverless.ts', 'config', 'app', 'hook', 'cloudformation', 'scripts', 'test'];

const files = sourceFiles(REPO_ROOT, ROOTS);
const edges = files.flatMap((f) => importsOf(REPO_ROOT, f));
const shipped = files.filter((f) => unitOf(f) !== 'test');
const show = (e: ImportEdge) => `${e.from} imports ${e.to}`;

/** A table of docs/architecture.md, under `heading`: first cell → the names its second cell lists. */
function documentedRules(heading: string): Map<string, Set<string>> {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8');
  const section = doc.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '';
  const unit = (cell: string) => cell.replace(/`/g, '').replace(/\/$/, '').trim();
  const rules = new Map<string, Set<string>>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (!cells[1]?.startsWith('`')) continue;
    const allowed = cells[2] === 'nothing' ? [] : cells[2].split(',').map(unit);
    rules.set(unit(cells[1]), new Set(allowed));
  }
  return rules;
}

describe('architecture (docs/architecture.md)', () => {
  it('reads the imports of every source file', () => {
    expect(files).to.include.members(['serverless.ts', 'config/schema.ts', 'scripts/synth.ts']);
    expect(edges.length).to.be.greaterThan(300);
  });

  it('has no import cycle between top-level folders', () => {
    const graph = unitGraph(edges);
    const found = cycles(graph).map((cycle) =>
      cycle
        .slice(1)
        .map((to, i) => show(graph.get(cycle[i])!.get(to)!))
        .join('; '),
    );
    expect(
      found,
      'an import cycle between folders (break it by moving the shared piece below both)',
    ).to.deep.equal([]);
  });

  it('finds a cycle when there is one (the check itself can fail)', () => {
    const graph = new Map([
      ['cloudformation', new Map([['scripts', {}]])],
      [
        'scripts',
        new Map([
          ['config', {}],
          ['cloudformation', {}],
        ]),
      ],
      ['config', new Map()],
    ]);
    expect(cycles(graph)).to.deep.equal([['cloudformation', 'scripts', 'cloudformation']]);
    expect(
      cycles(
        new Map([
          ['a', new Map([['b', {}]])],
          ['b', new Map()],
        ]),
      ),
    ).to.deep.equal([]);
  });

  it('has no import cycle between files of shipped code', () => {
    const found = fileCycles(edges.filter((e) => unitOf(e.from) !== 'test')).map((c) => c.join(' -> '));
    expect(found, 'a file cycle (move what both sides share into a file both can import)').to.deep.equal([]);
  });

  it('finds a file cycle when there is one (the check itself can fail)', () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: true });
    // The cycle this repository had: names.ts took a type from schema.ts, schema.ts an id from names.ts.
    const withCycle = [
      ...edges,
      edge('config/schema.ts', 'config/names.ts'),
      edge('config/names.ts', 'config/schema.ts'),
    ];
    expect(fileCycles(withCycle)).to.deep.include(['config/names.ts', 'config/schema.ts', 'config/names.ts']);
    expect(fileCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts')])).to.deep.equal([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
    ]);
    expect(fileCycles([edge('a.ts', 'a.ts')])).to.deep.equal([['a.ts', 'a.ts']]);
    expect(fileCycles([edge('a.ts', 'b.ts'), edge('a.ts', 'c.ts'), edge('b.ts', 'c.ts')])).to.deep.equal([]);
  });

  it('keeps the rooms every command shares below the commands ("Rooms of scripts/")', () => {
    const rules = documentedRules('Rooms of scripts/');
    expect([...rules.keys()]).to.include.members(['cli', 'timeline', 'cost']);
    const refused = roomViolations(edges, rules).map(show);
    expect(
      refused,
      'move the shared piece down into a shared room, or list the import (with why)',
    ).to.deep.equal([]);
  });

  it("refuses an import from scripts/cli/ into a command's room (the check itself can fail)", () => {
    const rules = documentedRules('Rooms of scripts/');
    // What scripts/cli/wait.ts did: it took duration() from the status command's room.
    const upward = { from: 'scripts/cli/wait.ts', to: 'scripts/status/format.ts', typeOnly: false };
    expect(roomViolations([...edges, upward], rules)).to.deep.equal([upward]);
    const sideways = { from: 'scripts/cost/model.ts', to: 'scripts/deploy/plan.ts', typeOnly: true };
    expect(roomViolations([sideways], rules)).to.deep.equal([sideways]);
    const commandToShared = { from: 'scripts/deploy/docs.ts', to: 'scripts/cost/model.ts', typeOnly: false };
    expect(roomViolations([commandToShared], rules)).to.deep.equal([]);
  });

  it('never imports test/ from shipped code', () => {
    const intoTest = edges.filter((e) => unitOf(e.from) !== 'test' && unitOf(e.to) === 'test').map(show);
    expect(intoTest).to.deep.equal([]);
  });

  it('imports only what the "Who may import whom" table allows', () => {
    const rules = documentedRules('Who may import whom');
    expect([...rules.keys()].sort()).to.deep.equal([...ROOTS].sort());
    const refused = edges
      .filter((e) => unitOf(e.from) !== unitOf(e.to) && !rules.get(unitOf(e.from))?.has(unitOf(e.to)))
      .map(show);
    expect(refused, 'add the folder to the table (with why) or move the import').to.deep.equal([]);
  });

  it('keeps the contracts free of the config loader: they import only config/ranges.ts, each other, and types', () => {
    // The app's and the hook's bundles carry the contracts; the loader would bring zod along.
    const loose = edges
      .filter(
        (e) =>
          e.from.startsWith('config/contracts/') &&
          !e.typeOnly &&
          e.to !== 'config/ranges.ts' &&
          !e.to.startsWith('config/contracts/'),
      )
      .map(show);
    expect(loose).to.deep.equal([]);
  });

  it('keeps every shipped source file within 300 lines', () => {
    const long = shipped
      .map((f) => [f, readFileSync(join(REPO_ROOT, f), 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > 300)
      .map(([f, lines]) => `${f}: ${lines} lines`);
    expect(long).to.deep.equal([]);
  });

  it('keeps every function of the generators within 80 lines', () => {
    const long: string[] = [];
    for (const file of files.filter((f) => f.startsWith('cloudformation/') || f === 'serverless.ts')) {
      const source = ts.createSourceFile(
        file,
        readFileSync(join(REPO_ROOT, file), 'utf8'),
        ts.ScriptTarget.Latest,
      );
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
          const last = source.getLineAndCharacterOfPosition(node.end).line;
          if (last - first + 1 > 80) long.push(`${file}:${first + 1}: ${last - first + 1} lines`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).to.deep.equal([]);
  });
});
