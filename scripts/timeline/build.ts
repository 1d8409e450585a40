/**
 * The build-duration model's figures for the timeline, the cost tables and the docs. The model itself
 * (BUILD_PHASES) lives in config/build-phases.ts: the pipelines template derives the gate waiter's
 * deadline from it too.
 */
import { BUILD_PHASES, buildSeconds, reuseBuildSeconds } from '../../config';

export { BUILD_PHASES, type BuildPhase, buildSeconds, reuseBuildSeconds } from '../../config';

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
    ...BUILD_PHASES.map((p) => `| ${p.phase}${p.gate ? ' (gate)' : ''} | ${p.seconds} | ${p.basis} |`),
    `| **One build** | **${buildSeconds()}** | ≈ ${Math.round(buildSeconds() / 6) / 10} min, billed as ${buildMinutes()}; a build that finds the image: ${reuseBuildSeconds()} s |`,
  ];
}
