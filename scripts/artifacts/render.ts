/** Renders any subset of the four deploy artifacts, reading only the inputs those files need. */
import { ALL_ARTIFACT_FILES, ARTIFACT_FILES, type ArtifactFile, type PlaygroundConfig } from '../../config';
import { renderAppSpec } from './appspec';
import { renderImageDefinitions, renderImageDetail } from './image-files';
import { readBuildInputs, readImageInputs } from './inputs';
import { renderTaskDefinition } from './taskdef';

type Env = Record<string, string | undefined>;

/** File name → content, in the order asked for. */
export function renderArtifacts(
  config: PlaygroundConfig,
  env: Env,
  files: readonly ArtifactFile[] = ALL_ARTIFACT_FILES,
): Map<ArtifactFile, string> {
  const needs = new Set(files);
  // Read (and validate) inputs once, up front, so every missing variable is named in one error.
  const build = needs.has(ARTIFACT_FILES.taskDefinition) ? readBuildInputs(env) : undefined;
  const needsImage = needs.has(ARTIFACT_FILES.imageDefinitions) || needs.has(ARTIFACT_FILES.imageDetail);
  const image = build ?? (needsImage ? readImageInputs(env) : undefined);

  const out = new Map<ArtifactFile, string>();
  for (const file of files) {
    switch (file) {
      case ARTIFACT_FILES.imageDefinitions:
        out.set(file, renderImageDefinitions(config, image!));
        break;
      case ARTIFACT_FILES.imageDetail:
        out.set(file, renderImageDetail(image!));
        break;
      case ARTIFACT_FILES.taskDefinition:
        out.set(file, renderTaskDefinition(config, build!));
        break;
      case ARTIFACT_FILES.appSpec:
        out.set(file, renderAppSpec(config));
        break;
    }
  }
  return out;
}
