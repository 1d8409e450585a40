/**
 * What every part of the pipelines stack shares: the logical IDs, the artifact and stage names, and
 * the values read once from the config and the registry and cluster stacks' exports.
 */
import { Fn, type IntrinsicFunction, type Value } from 'cloudform';
import { type Names, namesFor, type PlaygroundConfig } from '../../config';
import { importValue } from '../common';
import { sub } from '../intrinsics';

/** Logical ids, exported so tests and docs name the same resources. */
export const PIPELINES_IDS = {
  bucket: 'ArtifactBucket',
  bucketPolicy: 'ArtifactBucketPolicy',
  connection: 'GitHubConnection',
  buildLogGroup: 'BuildLogGroup',
  buildRole: 'BuildRole',
  buildProject: 'BuildProject',
  rollingRole: 'RollingPipelineRole',
  rollingPipeline: 'RollingPipeline',
  blueGreenRole: 'BlueGreenPipelineRole',
  blueGreenPipeline: 'BlueGreenPipeline',
  canaryRole: 'CanaryPipelineRole',
  canaryPipeline: 'CanaryPipeline',
} as const;

/** Artifact names shared by the stages of every pipeline. */
export const PIPELINE_ARTIFACTS = { source: 'SourceOutput', build: 'BuildOutput' } as const;

/** Stage and action names (the push trigger names the source action; `outcome` is the Deploy stage's second action). */
export const PIPELINE_STAGES = {
  source: 'Source',
  build: 'Build',
  deploy: 'Deploy',
  outcome: 'Outcome',
} as const;

export interface PipelinesContext {
  config: PlaygroundConfig;
  names: Names;
  bucketArn: IntrinsicFunction;
  /** Every object of the artifact bucket. */
  bucketObjects: IntrinsicFunction;
  repositoryArn: Value<string>;
  clusterName: Value<string>;
  clusterArn: Value<string>;
  /** `github.connectionArn` when set, else the connection this stack creates. */
  connectionArn: Value<string>;
}

export function pipelinesContext(config: PlaygroundConfig): PipelinesContext {
  const names = namesFor(config);
  return {
    config,
    names,
    bucketArn: Fn.GetAtt(PIPELINES_IDS.bucket, 'Arn'),
    bucketObjects: sub(`\${${PIPELINES_IDS.bucket}.Arn}/*`),
    repositoryArn: importValue(names, 'registry', 'RepositoryArn'),
    clusterName: importValue(names, 'cluster', 'ClusterName'),
    clusterArn: importValue(names, 'cluster', 'ClusterArn'),
    connectionArn: config.github.connectionArn ?? Fn.GetAtt(PIPELINES_IDS.connection, 'ConnectionArn'),
  };
}
