/**
 * The two image files: imagedefinitions.json for the ECS rolling action, imageDetail.json for
 * CodeDeployToECS. Both name the image by its commit tag (the repository is IMMUTABLE: a tag is
 * one build forever, so a rollback redeploys exactly what ran before).
 */
import type { PlaygroundConfig } from '../../config';
import type { ImageInputs } from './inputs';

export function imageUri(inputs: ImageInputs): string {
  return `${inputs.repositoryUri}:${inputs.commitHash}`;
}

/** `[{"name": <container>, "imageUri": …}]`: the ECS action matches `name` to the container. */
export function renderImageDefinitions(config: PlaygroundConfig, inputs: ImageInputs): string {
  return json([{ name: config.container.name, imageUri: imageUri(inputs) }]);
}

/** `{"ImageURI": …}`: CodeDeployToECS puts it where taskdef.json says `<IMAGE1_NAME>`. */
export function renderImageDetail(inputs: ImageInputs): string {
  return json({ ImageURI: imageUri(inputs) });
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
