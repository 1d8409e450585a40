/**
 * moto_server, a local AWS API emulator (Python), for the tests that send real SDK requests over
 * HTTP: one per describe block, on a free port, with the SDK pointed at it through the environment,
 * as for real AWS (endpoint and dummy keys). Where moto is not installed the block is skipped; it is
 * looked up on PATH, without starting Python just to ask.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { freePort } from '../../scripts/bench/free-port';

const MOTO = 'moto_server';

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Starts moto before the block's tests and stops it after, restoring the environment it set. */
export function useMoto(env: Record<string, string> = {}): void {
  let moto: ChildProcess | undefined;
  const set = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', ...env };
  const keys = ['AWS_ENDPOINT_URL', ...Object.keys(set)];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));

  before(async function () {
    if (!onPath(MOTO)) this.skip();
    const port = await freePort();
    moto = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const endpoint = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      const up = await fetch(`${endpoint}/moto-api/`).then(
        () => true,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, ...set });
  });

  after(() => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    moto?.kill();
  });
}
