/** The build-duration model, apart from the prices (cost.ts) that derive from it. */

/** One phase of a CodeBuild build and where its duration comes from. */
export interface BuildPhase {
  phase: string;
  seconds: number;
  /** `measured: …` (on a 2-vCPU machine like BUILD_GENERAL1_SMALL) or `stated: …` (not measurable here). */
  basis: string;
}

/**
 * THE model of how long one CodeBuild build of a push takes (buildspec.yml on BUILD_GENERAL1_SMALL:
 * 2 vCPU, 3 GB), phase by phase. The cost tables and the documented waits derive from it; a release
 * timeline should too. Measured figures come from the project's own machine, which has the same 2
 * vCPUs (shared, so they are upper-end); what needs AWS is stated, with its reason. Measured
 * 2026-11-30: `npm run typecheck` 18.5 s, `npm run lint` 1.7 s, `npm run lint:cfn` 12.4 s,
 * `npm run test:unit` 68 s (load ~3: shared; 46 s on an idle machine), `npm ci` 26 s with a warm npm
 * cache, `npm run build:app` 1.7 s.
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
    phase: 'npm test (typecheck, lint, lint:cfn, mocha)',
    seconds: 100,
    basis: 'measured: 18.5 + 1.7 + 12.4 + 68 s on a shared 2-vCPU machine',
  },
  {
    phase: 'docker build: base image pull, npm ci again inside the image, bundle, code cache, layers',
    seconds: 90,
    basis:
      "model: ~10 s pull + the npm ci above (its own install in the build stage) + 5 s bundle and cache + ~15 s export; ~20 s in all when the host's layer cache still holds the npm ci layer",
  },
  {
    phase: 'docker push of the new layers (~50 MB the first time)',
    seconds: 15,
    basis: 'stated: in-region ECR push of a small image',
  },
  {
    phase: 'render:artifacts and artifact upload',
    seconds: 10,
    basis: 'stated: one ts-node start (~3 s here) and four small files to S3',
  },
];

/** Seconds one build takes, by the model. */
export function buildSeconds(): number {
  return BUILD_PHASES.reduce((sum, p) => sum + p.seconds, 0);
}

/**
 * Billed CodeBuild minutes of one build: the model's duration rounded up, as CodeBuild bills on-demand
 * builds ("rounded up to the nearest minute": https://aws.amazon.com/codebuild/pricing/).
 */
export function buildMinutes(): number {
  return Math.ceil(buildSeconds() / 60);
}

/** The model as a Markdown table (docs/deploy.md embeds it). */
export function buildTimeTable(): string[] {
  return [
    '| Phase | Seconds | Where the figure comes from |',
    '| --- | ---: | --- |',
    ...BUILD_PHASES.map((p) => `| ${p.phase} | ${p.seconds} | ${p.basis} |`),
    `| **One build** | **${buildSeconds()}** | ≈ ${Math.round(buildSeconds() / 6) / 10} min, billed as ${buildMinutes()} |`,
  ];
}
