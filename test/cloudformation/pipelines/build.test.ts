// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are CloudFormation Fn::Sub strings, not JS templates

import { expect } from 'chai';
import { PIPELINES_IDS as IDS } from '../../../cloudformation/pipelines';
import { gateWaitSeconds, reuseBuildSeconds } from '../../../config';
import { buildTimeoutMinutes } from '../../../config/timeouts';
import { configWith, generated, type Json } from '../helpers';
import { statement } from './support';

describe('pipelines stack: CodeBuild project', () => {
  const t = generated('pipelines');

  it('creates one privileged CodeBuild project on the x86 standard image with the build variables by default', () => {
    const p = t.Resources[IDS.buildProject].Properties;
    expect(p.Name).to.equal('ecs-playground-dev');
    expect(p.Source).to.deep.equal({ Type: 'CODEPIPELINE', BuildSpec: 'buildspec.yml' });
    expect(p.Environment).to.deep.include({
      Type: 'LINUX_CONTAINER',
      Image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
      ComputeType: 'BUILD_GENERAL1_SMALL',
      PrivilegedMode: true,
    });
    const vars = Object.fromEntries(p.Environment.EnvironmentVariables.map((v: Json) => [v.Name, v.Value]));
    expect(vars).to.deep.equal({
      REPOSITORY_URI: { 'Fn::ImportValue': 'ecs-playground-dev-registry:RepositoryUri' },
      EXECUTION_ROLE_ARN: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ExecutionRoleArn' },
      TASK_ROLE_ARN: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:TaskRoleArn' },
      LOG_GROUP_NAME: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:LogGroupName' },
      PLAYGROUND_CONFIG_JSON: JSON.stringify(configWith()),
      GATE_BUCKET: { Ref: IDS.bucket },
      // The 18 min build timeout less the 160 s of a waiting build's own phases and a minute: config/timeouts.ts.
      GATE_WAIT_SECONDS: '860',
    });
    expect(p.Cache).to.deep.equal({ Type: 'LOCAL', Modes: ['LOCAL_DOCKER_LAYER_CACHE'] });
    // Derived (config/timeouts.ts): 2 × the 270 s build × the margin 2 = 18 min.
    expect(p.TimeoutInMinutes).to.equal(buildTimeoutMinutes());
    expect(p.TimeoutInMinutes).to.equal(18);
    expect(p.LogsConfig.CloudWatchLogs).to.deep.equal({
      Status: 'ENABLED',
      GroupName: { Ref: IDS.buildLogGroup },
    });
    expect(t.Resources[IDS.buildLogGroup].Properties).to.deep.include({
      LogGroupName: '/aws/codebuild/ecs-playground-dev',
      RetentionInDays: 14,
    });
  });

  it('builds on the ARM standard image with the configured compute type for ARM64 tasks', () => {
    const arm = generated('pipelines', {
      container: { architecture: 'ARM64' },
      build: { computeType: 'BUILD_GENERAL1_LARGE' },
    }).Resources[IDS.buildProject].Properties;
    expect(arm.Environment).to.deep.include({
      Type: 'ARM_CONTAINER',
      Image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0',
      ComputeType: 'BUILD_GENERAL1_LARGE',
    });
    // The gate's waiter follows the build timeout: it gives up 160 s + 1 min before it.
    const wait = arm.Environment.EnvironmentVariables.find((v: Json) => v.Name === 'GATE_WAIT_SECONDS');
    expect(wait.Value).to.equal(String(buildTimeoutMinutes() * 60 - 160 - 60));
  });

  it('gives the waiter a deadline shorter than the build timeout, less what a waiting build does besides', () => {
    expect(gateWaitSeconds()).to.be.within(1, buildTimeoutMinutes() * 60 - reuseBuildSeconds() - 1);
  });

  it('lets the build tell a gate key that is not there (404 NoSuchKey) from a denied read: s3:ListBucket on the bucket only', () => {
    expect(statement(t, IDS.buildRole, 'LocateArtifactBucket')).to.deep.equal({
      Sid: 'LocateArtifactBucket',
      Effect: 'Allow',
      Action: ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:ListBucket'],
      Resource: { 'Fn::GetAtt': [IDS.bucket, 'Arn'] },
    });
  });

  it('lets a build waiting for the gate of its commit ask CodeBuild about the build holding it, in this project only', () => {
    expect(statement(t, IDS.buildRole, 'ReadGateHolder')).to.deep.equal({
      Sid: 'ReadGateHolder',
      Effect: 'Allow',
      Action: 'codebuild:BatchGetBuilds',
      Resource: {
        'Fn::Sub':
          'arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/ecs-playground-dev',
      },
    });
  });

  it('lets CodeBuild log in to ECR Public (us-east-1) for the base image: the token, and a bearer token for ECR Public only', () => {
    expect(statement(t, IDS.buildRole, 'PublicRegistryLogin')).to.deep.equal({
      Sid: 'PublicRegistryLogin',
      Effect: 'Allow',
      Action: 'ecr-public:GetAuthorizationToken',
      Resource: '*',
    });
    expect(statement(t, IDS.buildRole, 'PublicRegistryBearerToken')).to.deep.equal({
      Sid: 'PublicRegistryBearerToken',
      Effect: 'Allow',
      Action: 'sts:GetServiceBearerToken',
      Resource: '*',
      Condition: { StringEquals: { 'sts:AWSServiceName': 'ecr-public.amazonaws.com' } },
    });
  });
});
