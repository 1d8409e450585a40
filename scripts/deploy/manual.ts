/**
 * The manual path, generated from the deploy plan so the documented commands cannot drift from what
 * `npm run deploy` does: `npx sls deploy` for the hook and `aws cloudformation deploy` for each stack,
 * in the plan's order. README.md embeds this output for the default config (a test keeps it equal);
 * `npm run deploy -- --print-commands` prints it for yours.
 */
import { deployTemplateDir } from '../../cloudformation/stacks';
import type { PlaygroundConfig } from '../../config';
import { BUILD_CACHE_TAG, namesFor, serviceStacksFor } from '../../config';
import { buildMinutes } from '../../config/build-model';
import { CAPABILITIES } from './aws/stacks';
import type { DeployStep } from './plan';

type StackStep = Extract<DeployStep, { kind: 'deploy-stack' }>;

/** Shell variable holding the image URI in the manual path. */
export const IMAGE_VARIABLE = 'IMAGE_URI';

/** `aws cloudformation deploy …` for one stack step; an image parameter reads `$IMAGE_URI`. */
export function stackCommand(step: StackStep, region: string): string {
  const parts = [
    'aws cloudformation deploy',
    `--region ${region}`,
    `--template-file ${step.templatePath}`,
    `--stack-name ${step.stackName}`,
    `--capabilities ${CAPABILITIES.join(' ')}`,
    // Like the script, a re-run with nothing to change is not an error.
    '--no-fail-on-empty-changeset',
  ];
  if (step.parameters.length) {
    const overrides = step.parameters.map((p) =>
      p.value.kind === 'literal' ? `${p.key}=${p.value.uri}` : `${p.key}="$${IMAGE_VARIABLE}"`,
    );
    parts.push(`--parameter-overrides ${overrides.join(' ')}`);
  }
  return parts.join(' ');
}

/**
 * The whole manual path as shell lines (comments say what a person does between commands).
 * `envPrefix` (e.g. `PLAYGROUND_STAGE=staging `) goes before the local commands that read the config
 * when the stage or region came from a flag rather than the config file.
 */
export function manualCommands(config: PlaygroundConfig, steps: DeployStep[], envPrefix = ''): string[] {
  const names = namesFor(config);
  const region = config.app.region;
  const lines: string[] = [];
  for (const step of steps) {
    switch (step.kind) {
      case 'synth':
        lines.push(
          `${envPrefix}npm run synth`,
          `# Your templates: ${deployTemplateDir(config.app.stage)}/ (git-ignored; cloudformation/templates/ holds the reference ones, from the defaults).`,
        );
        break;
      case 'delete-stack':
        lines.push(
          `aws cloudformation delete-stack --region ${region} --stack-name ${step.stackName}`,
          `aws cloudformation wait stack-delete-complete --region ${region} --stack-name ${step.stackName}`,
        );
        break;
      case 'deploy-stack':
        lines.push(stackCommand(step, region));
        break;
      case 'deploy-hook':
        lines.push(`${envPrefix}${step.command.join(' ')}`);
        break;
      case 'wait-connection':
        lines.push(
          '# Approve the GitHub connection once: console → Developer Tools → Settings → Connections →',
          '# select it → Update pending connection. Then build the first image:',
        );
        break;
      case 'wait-first-image':
        lines.push(
          `aws codepipeline start-pipeline-execution --region ${region} --name ${step.pipeline}`,
          `# When the build has pushed a commit-tagged image (≈ ${buildMinutes()} minutes: docs/deploy.md#cost), take the newest one:`,
          `REPO_URI=$(aws ecr describe-repositories --region ${region} --repository-names ${step.repository} --query 'repositories[0].repositoryUri' --output text)`,
          // Commit tags only: the build cache's moving tag is pushed with every build, never run.
          `TAG=$(aws ecr describe-images --region ${region} --repository-name ${step.repository} --filter tagStatus=TAGGED --query 'sort_by(imageDetails[?!contains(imageTags, \`"${BUILD_CACHE_TAG}"\`)],&imagePushedAt)[-1].imageTags[0]' --output text)`,
          `${IMAGE_VARIABLE}="$REPO_URI:$TAG"`,
        );
        break;
      case 'print-summary':
        for (const stack of serviceStacksFor(config)) {
          lines.push(
            `aws cloudformation describe-stacks --region ${region} --stack-name ${names.stackName(stack)} --query "Stacks[0].Outputs[?OutputKey=='LoadBalancerUrl'].OutputValue" --output text`,
          );
        }
        break;
    }
  }
  return lines;
}
