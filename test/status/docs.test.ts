import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { z } from 'zod';
import { REPO_ROOT } from '../../config';
import { READ_ACTIONS } from '../../scripts/status/aws';
import { STATUS_COMMAND } from '../../scripts/status/cli';
import * as report from '../../scripts/status/report';
import { WATCH_COMMAND } from '../../scripts/watch/cli';
import { WATCH_LIMITS } from '../../scripts/watch/settings';

const doc = readFileSync(join(REPO_ROOT, 'docs/status.md'), 'utf8');
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** Every key of a (nested) zod object schema. */
function keysOf(schema: z.ZodType, into = new Set<string>()): Set<string> {
  const def = (schema as unknown as { def: Record<string, unknown> }).def;
  if (def.type === 'object') {
    for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) {
      into.add(k);
      keysOf(v, into);
    }
  } else if (def.type === 'union') for (const o of def.options as z.ZodType[]) keysOf(o, into);
  else if (def.type === 'array') keysOf(def.element as z.ZodType, into);
  else if (def.type === 'optional' || def.type === 'nullable') keysOf(def.innerType as z.ZodType, into);
  return into;
}

describe('docs/status.md and README', () => {
  it('documents every field of the --json shape', () => {
    const json = doc.slice(doc.indexOf('### JSON'), doc.indexOf('### IAM permissions'));
    // A key counts as documented inside code spans: `key`, `strategies[].key`, `key[]`.
    const missing = [...keysOf(report.statusReportSchema)].filter(
      (k) => !new RegExp(`\`([^\`]*\\.)?${k}(\\[\\])?\``).test(json),
    );
    expect(missing).to.deep.equal([]);
    for (const phase of report.PHASES) expect(json).to.include(`\`${phase}\``);
  });

  it('prints the IAM policy the commands need, equal to READ_ACTIONS', () => {
    const block = /```json\n([\s\S]*?)\n```/.exec(doc.slice(doc.indexOf('### IAM permissions')))![1];
    const policy = JSON.parse(block) as { Statement: { Action: string[] }[] };
    expect(policy.Statement[0].Action).to.deep.equal([...READ_ACTIONS]);
  });

  it('states the watch bounds the code enforces and every flag', () => {
    const L = WATCH_LIMITS;
    expect(doc).to.include(`default ${L.rate.default}, at most ${L.rate.max}`);
    expect(doc).to.include(`default ${L.forSeconds.default / 60} min, at most ${L.forSeconds.max / 60} min`);
    expect(doc).to.include(
      `at most ${(L.rate.max * L.forSeconds.max).toLocaleString('en-US')} requests per load balancer`,
    );
    expect(doc).to.include(
      `a refresh every ${L.awsEverySeconds} s, at most ${L.awsCallsPerMinute} API calls in any 60 s`,
    );
    for (const o of [...STATUS_COMMAND.options, ...WATCH_COMMAND.options])
      expect(doc, o.name).to.include(`--${o.name}`);
  });

  it('replaces the curl loop in README with the two commands', () => {
    expect(readme).not.to.include('uniq -c');
    expect(readme).to.include('$ npm run status\n');
    expect(readme).to.include('$ npm run watch\n');
    expect(readme).to.include('(docs/status.md)');
  });
});
