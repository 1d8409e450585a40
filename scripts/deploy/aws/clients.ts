/**
 * The AWS SDK v3 clients the scripts use, created only for a real run (a dry run never builds one,
 * so it cannot call AWS even by mistake).
 *
 * Why the SDK and not the AWS CLI: typed requests and responses, errors with a `name` to branch on
 * (e.g. a missing stack vs. a throttled call), and tests that assert the exact request shapes with
 * aws-sdk-client-mock instead of parsing CLI output; the script also works without AWS CLI v2
 * installed. The README still shows the equivalent CLI commands for the manual path.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { STSClient } from '@aws-sdk/client-sts';

export interface AwsClients {
  cloudformation: CloudFormationClient;
  codedeploy: CodeDeployClient;
  codepipeline: CodePipelineClient;
  connections: CodeStarConnectionsClient;
  ecr: ECRClient;
  ecs: ECSClient;
  quotas: ServiceQuotasClient;
  s3: S3Client;
  sts: STSClient;
}

/** Adaptive retries: polling many Describe* calls during a deploy can hit API throttling. */
export function clientOptions(region: string) {
  return { region, retryMode: 'adaptive', maxAttempts: 8 };
}

export function createClients(region: string): AwsClients {
  const options = clientOptions(region);
  return {
    cloudformation: new CloudFormationClient(options),
    codedeploy: new CodeDeployClient(options),
    codepipeline: new CodePipelineClient(options),
    connections: new CodeStarConnectionsClient(options),
    ecr: new ECRClient(options),
    ecs: new ECSClient(options),
    quotas: new ServiceQuotasClient(options),
    s3: new S3Client(options),
    sts: new STSClient(options),
  };
}
