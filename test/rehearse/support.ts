/**
 * Shared by the rehearsal tests: whether haproxy is here (else the suites skip, naming the install
 * line), one app build and one hook package for all of them, and rehearseMain run in-process with a
 * hermetic config.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlaygroundConfig } from '../../config';
import { buildApp } from '../../scripts/bundle/app';
import { type RehearseIo, rehearseMain } from '../../scripts/rehearse/cli';
import { HAPROXY_INSTALL, haproxyVersion } from '../../scripts/rehearse/haproxy';
import type { StrategyReport } from '../../scripts/rehearse/report';
import { hermeticEnv } from '../support/config';

export const HAPROXY = haproxyVersion();

/** In a suite's before(): skips it, naming the install line, when haproxy is not on PATH. */
export function needHaproxy(ctx: Mocha.Context): void {
  if (HAPROXY) return;
  console.log(`      skipped: ${HAPROXY_INSTALL}`);
  ctx.skip();
}

let built: Promise<string> | undefined;
/** The app bundle, built once per test process. */
export function sharedBuild(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-test-app-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return (await buildApp(dir)).start;
  })();
  return built;
}

export interface Rehearsed {
  code: number;
  out: string[];
  err: string[];
  reports: StrategyReport[];
  json: Record<string, unknown>;
  svg: string;
}

/** `npm run rehearse -- <argv>` in-process for `config`, its report.json and versions.svg read back. */
export async function rehearseWith(
  config: PlaygroundConfig,
  argv: string[],
  machine: { haproxy?: string } = { haproxy: HAPROXY },
): Promise<Rehearsed> {
  const dir = mkdtempSync(join(tmpdir(), 'rehearse-test-out-'));
  const out: string[] = [];
  const err: string[] = [];
  const io: RehearseIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: hermeticEnv(config),
    cwd: dir,
    haproxy: () => machine.haproxy,
    now: () => Date.now(),
    buildApp: () => sharedBuild(),
  };
  try {
    const code = await rehearseMain([...argv, '--out', dir], io);
    if (code !== 0 || !existsSync(join(dir, 'report.json')))
      return { code, out, err, reports: [], json: {}, svg: '' };
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
    return {
      code,
      out,
      err,
      reports: json.strategies as StrategyReport[],
      json,
      svg: readFileSync(join(dir, 'versions.svg'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
