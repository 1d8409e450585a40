/**
 * `npm run bench` (scripts/bench/cli.ts), with the hook bench: what bundling the AWS SDK costs the
 * hook. Builds two bundles of hook/handler.ts with esbuild, in one run:
 *
 * - baseline: as the hook shipped before, the AWS SDK left out (`@aws-sdk/*` external) for the
 *   Lambda runtime's copy, CommonJS entry points;
 * - shipped: config/contracts/hook-bundle.ts, the settings serverless.ts packages with (the SDK
 *   clients inlined from their ES module builds).
 *
 * Zips each with serverless-esbuild's own zip function (the one `sls package` uses, so the shipped
 * figure is the real package's size), then measures the cold start's share that the package decides:
 * the time to `require()` the bundle in a fresh Node process, `runs` times each, alternating. The
 * baseline's require resolves the SDK from this repository's node_modules through NODE_PATH, as the
 * runtime resolves its own copy (/var/runtime/node_modules). Prints medians and shipped/baseline ratios.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { zip } from 'serverless-esbuild/dist/utils';
import { REPO_ROOT } from '../../../config';
import { HOOK_ENTRY, HOOK_ESBUILD_OPTIONS } from '../../../config/contracts/hook-bundle';
import { median } from '../report';

/**
 * The largest hook zip test/hook/package.test.ts accepts. Measured by this bench with the SDK of
 * package-lock.json (client-ecs 3.1164.0, client-codedeploy 3.1133.0, client-elastic-load-balancing-v2
 * 3.1142.0): 188,872 bytes. The limit leaves ~14 % for SDK updates, and fails a bundle that takes the
 * SDK's CommonJS builds (246 kB deflated) or carries a second copy of it: a change that large is one to
 * look at, not to ship unnoticed (Lambda's own limit, 50 MB zipped, is far away).
 */
export const HOOK_ZIP_LIMIT_BYTES = 210 * 1024;

type Variant = 'baseline' | 'shipped';

export interface BundleMeasurement {
  bundleBytes: number;
  zipBytes: number;
  /** Median milliseconds to require() the bundle in a fresh process. */
  requireMs: number;
}

/** The two esbuild configurations, by variant. */
export function bundleOptions(variant: Variant) {
  if (variant === 'shipped')
    return { ...HOOK_ESBUILD_OPTIONS, mainFields: [...HOOK_ESBUILD_OPTIONS.mainFields] };
  const { mainFields: _esm, ...before } = HOOK_ESBUILD_OPTIONS;
  return { ...before, external: ['@aws-sdk/*'] };
}

async function buildAndZip(
  variant: Variant,
  dir: string,
): Promise<{ file: string; bundleBytes: number; zipBytes: number }> {
  const file = join(dir, variant, 'hook', 'handler.js');
  await build({
    ...bundleOptions(variant),
    entryPoints: [join(REPO_ROOT, HOOK_ENTRY)],
    outfile: file,
    logLevel: 'error',
  });
  const zipPath = join(dir, `${variant}.zip`);
  await zip(zipPath, [{ rootPath: file, localPath: 'hook/handler.js' }]);
  return { file, bundleBytes: statSync(file).size, zipBytes: statSync(zipPath).size };
}

/** Milliseconds one fresh Node process takes to require `file` (measured inside it). */
function requireMs(file: string, nodePath: string | undefined): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...(nodePath ? { NODE_PATH: nodePath } : {}) };
  // cwd: the temporary directory, so nothing resolves from the repository but through NODE_PATH.
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: tmpdir(), env, encoding: 'utf8' }));
}

/** Builds, zips and times both bundles; `runs` require() samples each. */
export async function measureBundles(runs: number): Promise<Record<Variant, BundleMeasurement>> {
  const dir = mkdtempSync(join(tmpdir(), 'hook-bundle-bench-'));
  try {
    const baseline = await buildAndZip('baseline', dir);
    const shipped = await buildAndZip('shipped', dir);
    const samples: Record<Variant, number[]> = { baseline: [], shipped: [] };
    // One unmeasured require each first (the OS file cache), then alternate so drift hits both.
    requireMs(baseline.file, join(REPO_ROOT, 'node_modules'));
    requireMs(shipped.file, undefined);
    for (let i = 0; i < runs; i++) {
      samples.baseline.push(requireMs(baseline.file, join(REPO_ROOT, 'node_modules')));
      samples.shipped.push(requireMs(shipped.file, undefined));
    }
    const result = (v: typeof baseline, s: number[]) => ({
      bundleBytes: v.bundleBytes,
      zipBytes: v.zipBytes,
      requireMs: median(s),
    });
    return { baseline: result(baseline, samples.baseline), shipped: result(shipped, samples.shipped) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** The bench's lines: each figure, shipped/baseline ratios, and the zip against HOOK_ZIP_LIMIT_BYTES. */
export function bundleReport(
  m: Record<Variant, BundleMeasurement>,
  runs: number,
): { lines: string[]; ok: boolean } {
  const ratio = (key: keyof BundleMeasurement) => (m.shipped[key] / m.baseline[key]).toFixed(2);
  const ok = m.shipped.zipBytes <= HOOK_ZIP_LIMIT_BYTES;
  return {
    ok,
    lines: [
      `hook bundle: baseline (AWS SDK left to the runtime) vs shipped (SDK clients bundled), require() in a fresh process, ${runs} runs each`,
      `  bundle: ${kB(m.baseline.bundleBytes)} → ${kB(m.shipped.bundleBytes)} (×${ratio('bundleBytes')})`,
      `  zip:    ${m.baseline.zipBytes} → ${m.shipped.zipBytes} bytes (×${ratio('zipBytes')})`,
      `  require() median: ${m.baseline.requireMs.toFixed(1)} ms → ${m.shipped.requireMs.toFixed(1)} ms (×${ratio('requireMs')})`,
      `  goal: zip ≤ ${HOOK_ZIP_LIMIT_BYTES} bytes → ${ok ? 'met' : 'MISSED'}`,
    ],
  };
}

/** Measures and prints; 1 when the zip is over the limit. */
export async function runHookBundleBench(runs: number): Promise<number> {
  const { lines, ok } = bundleReport(await measureBundles(runs), runs);
  for (const line of lines) console.log(line);
  return ok ? 0 : 1;
}
