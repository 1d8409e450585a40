/**
 * The commands a reader of README.md, CONTRIBUTING.md and docs/*.md is shown: every line of a ```sh
 * block (continuation lines joined, comments dropped) and every inline code span that starts with a
 * program a reader would type (npm, npx, node, pip, curl, docker, aws, git, or VAR=value before one).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../config';

export interface DocCommand {
  /** The command as shown, without its trailing `# comment`. */
  text: string;
  /** Where it is shown: `docs/app.md:33`. */
  where: string;
}

export const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

const PROGRAM = /^(?:[A-Z_][A-Z0-9_]*=\S+\s+)*(npm|npx|node|pip|pipx|curl|docker|aws|git)\s/;

/** `cmd   # comment` → `cmd` (a `#` inside quotes or ${…} stays). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trim();
  }
  return line.trim();
}

export function docCommands(doc: string, markdown: string): DocCommand[] {
  const out: DocCommand[] = [];
  const lines = markdown.split('\n');
  let fence: string | undefined;
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('```')) {
      fence = fence === undefined ? trimmed.slice(3) : undefined;
      return;
    }
    if (fence === 'sh') {
      const text = withoutComment(trimmed);
      if (!text) return;
      const joined = pending ? `${pending.text} ${text}` : text;
      const line = pending?.line ?? i + 1;
      if (joined.endsWith('\\')) pending = { text: joined.slice(0, -1).trim(), line };
      else {
        out.push({ text: joined, where: `${doc}:${line}` });
        pending = undefined;
      }
      return;
    }
    if (fence !== undefined) return;
    for (const m of raw.matchAll(/`([^`]+)`/g)) {
      // A trailing backslash: an escaped backtick inside a quoted message, not part of the command.
      const text = m[1].trim().replace(/\\$/, '');
      if (PROGRAM.test(`${text} `)) out.push({ text, where: `${doc}:${i + 1}` });
    }
  });
  return out;
}

export function allDocCommands(): DocCommand[] {
  return DOCS.flatMap((doc) => docCommands(doc, readFileSync(join(REPO_ROOT, doc), 'utf8')));
}
