/**
 * THE model of how long one CodeBuild build of a push takes (buildspec.yml on BUILD_GENERAL1_SMALL:
 * 2 vCPU, 3 GB), phase by phase. The release timeline (`npm run plan`), the cost tables and the
 * documented waits all derive from it. Measured figures come from the project's own machine, which
 * has the same 2 vCPUs; what needs AWS is stated, with its reason.
 *
 * Every pipeline runs the buildspec on every push, but only the build that holds the commit's gate
 * runs the phases marked `gate` (docs/pipelines.md#one-gated-build-per-push): the others skip them,
 * wait for that build's verdict and render the deploy artifacts, so every pipeline's Build stage
 * ends when the gate's build does.
 */

/** One phase of a CodeBuild build and where its duration comes from. */
export interface BuildPhase {
  phase: string;
  seconds: number;
  /** `measured: …` (on a 2-vCPU machine like BUILD_GENERAL1_SMALL), `stated: …` or `model: …`. */
  basis: string;
  /** Only the build that holds the commit's gate runs it. */
  gate?: true;
}

/**
 * Measured 2026-11-30 on the project's 2-vCPU machine: `npm ci` 26 s with a warm npm cache,
 * `npm run build:app` 1.7 s, `npm test` as the phase says (its four jobs run side by side,
 * scripts/gate/run.ts; the tests in three mocha workers).
 */
export const BUILD_PHASES: readonly BuildPhase[] = [
  {
    phase: 'provisioning and source download',
    seconds: 60,
    basis: 'stated: an on-demand standard-image host, typically under a minute; not measurable without AWS',
  },
  {
    phase: 'install: pip install cfn-lint',
    seconds: 30,
    basis: 'stated: one wheel and its dependencies from PyPI',
  },
  {
    phase: 'npm ci',
    seconds: 60,
    basis:
      'measured 26 s with a warm npm cache; CodeBuild starts with none: +~30 s to download ~940 packages',
  },
  {
    phase: 'npm test (typecheck, lint, lint:cfn and mocha side by side)',
    seconds: 50,
    basis:
      'measured: 49 s wall, 87 s of CPU, on an idle 2-vCPU machine with a cold type-check cache (a clean checkout, as CodeBuild has); 72 s with both CPUs saturated besides',
    gate: true,
  },
  {
    phase:
      'docker buildx: BuildKit builder, base image, the cached layers of every stage (the npm ci layer), bundle, code cache',
    seconds: 45,
    basis:
      'model: ~5 s builder start + ~5 s base image + ~20 s to pull and unpack the cached npm ci layer (~790 MB unpacked) + ~5 s bundle + ~5 s code cache + ~5 s export; when package-lock.json changed, npm ci runs instead: +~40 s',
    gate: true,
  },
  {
    phase: 'push: the image and the cache of every stage (only new layers)',
    seconds: 15,
    basis: 'stated: in-region ECR push of the app layers (a few MB); ~200 MB more after a lockfile change',
    gate: true,
  },
  {
    phase: 'render:artifacts and artifact upload',
    seconds: 10,
    basis: 'stated: one ts-node start (~3 s here) and four small files to S3',
  },
];

/** Seconds one build of the gate takes, by the model: what every pipeline's Build stage waits for. */
export function buildSeconds(): number {
  return BUILD_PHASES.reduce((sum, p) => sum + p.seconds, 0);
}

/** Seconds a build takes that finds the commit's image already pushed (no gate phases). */
export function reuseBuildSeconds(): number {
  return BUILD_PHASES.reduce((sum, p) => sum + (p.gate ? 0 : p.seconds), 0);
}

/** Time a waiter keeps after its wait for the failure report and the phases' slack. */
export const GATE_WAIT_MARGIN_SECONDS = 60;

/**
 * Seconds a build that waits for another build's gate (buildspec.yml) may spend waiting: the build
 * timeout (build.timeoutMinutes) less what such a build does besides waiting (the phases that are
 * not the gate's, reuseBuildSeconds()) and a minute of margin for its report. The waiter then gives
 * up with a message naming the build it waited for, before CodeBuild would time it out with none.
 * The CodeBuild project hands it to the buildspec as GATE_WAIT_SECONDS (config/contracts/build.ts).
 */
export function gateWaitSeconds(config: { build: { timeoutMinutes: number } }): number {
  return config.build.timeoutMinutes * 60 - reuseBuildSeconds() - GATE_WAIT_MARGIN_SECONDS;
}
