/**
 * The registry of generators: which function renders which stack's template. `npm run synth`, the
 * tests and the lint gate all go through it, in STACKS (deployment) order, for the stacks the config
 * deploys (stacksFor: every shared stack and the service stack of each strategy in app.strategies).
 */
import type { Template } from 'cloudform';
import { type PlaygroundConfig, type ServiceStackId, type StackId, stacksFor } from '../config';
import { clusterTemplate } from './cluster';
import type { ServiceIds } from './fargate-service';
import { networkTemplate } from './network';
import { pipelinesTemplate } from './pipelines';
import { registryTemplate } from './registry';
import { BLUEGREEN, serviceBlueGreenTemplate } from './service-bluegreen';
import { CANARY, serviceCanaryTemplate } from './service-canary';
import { ROLLING, serviceRollingTemplate } from './service-rolling';

export type TemplateGenerator = (config: PlaygroundConfig) => Template;

/** Stack → generator: every stack of STACKS has one (the compiler checks it). */
export const STACK_TEMPLATES: Record<StackId, TemplateGenerator> = {
  network: networkTemplate,
  registry: registryTemplate,
  cluster: clusterTemplate,
  pipelines: pipelinesTemplate,
  'service-rolling': serviceRollingTemplate,
  'service-bluegreen': serviceBlueGreenTemplate,
  'service-canary': serviceCanaryTemplate,
};

/** The logical IDs of each service stack's load-balanced Fargate service (fargate-service.ts). */
export const SERVICE_IDS: Record<ServiceStackId, ServiceIds> = {
  'service-rolling': ROLLING,
  'service-bluegreen': BLUEGREEN,
  'service-canary': CANARY,
};
/**
 * The REFERENCE templates, relative to the repository root: rendered from DEFAULT_CONFIG only,
 * committed, what reviewers read (a test keeps them fresh against the defaults, never the environment).
 */
export const REFERENCE_TEMPLATE_DIR = 'cloudformation/templates';

/** Parent of the per-stage folders of templates rendered from YOUR config; git-ignored. */
export const DEPLOY_TEMPLATE_ROOT = 'cloudformation/out';

/**
 * Where `npm run synth` writes the templates of your config for `stage`, and what `npm run deploy`
 * and the manual path deploy: `cloudformation/out/<stage>` (git-ignored: it embeds your names).
 */
export function deployTemplateDir(stage: string): string {
  return `${DEPLOY_TEMPLATE_ROOT}/${stage}`;
}

/** `aws cloudformation deploy` without `--s3-bucket` accepts template bodies up to this size. */
export const MAX_TEMPLATE_BYTES = 51_200;

export interface RenderedTemplate {
  stack: StackId;
  /** The file content: pretty JSON, 2-space indent, trailing newline. */
  json: string;
  resourceCount: number;
  bytes: number;
}

/** The file content of a template: deterministic (insertion-ordered keys), 2-space indent, newline. */
export function renderTemplate(template: Template): string {
  return `${JSON.stringify(template, null, 2)}\n`;
}

/** The template of every stack the config deploys, in deployment order. */
export function renderAll(config: PlaygroundConfig): RenderedTemplate[] {
  const out: RenderedTemplate[] = [];
  for (const stack of stacksFor(config)) {
    const template = STACK_TEMPLATES[stack](config);
    const json = renderTemplate(template);
    out.push({
      stack,
      json,
      resourceCount: Object.keys(template.Resources ?? {}).length,
      bytes: Buffer.byteLength(json, 'utf8'),
    });
  }
  return out;
}
