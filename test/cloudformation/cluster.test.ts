// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import { CLUSTER } from '../../cloudformation/cluster';
import { EXPORTS } from '../../cloudformation/common';
import { generated, guardedTrust } from './helpers';

describe('cluster template', () => {
  it('creates a cluster without Container Insights by default', () => {
    const cluster = generated('cluster').Resources[CLUSTER.Cluster].Properties;
    expect(cluster.ClusterName).to.equal('ecs-playground-dev');
    expect(cluster.ClusterSettings).to.deep.equal([{ Name: 'containerInsights', Value: 'disabled' }]);
  });

  it('enables Container Insights when cluster.containerInsights is on', () => {
    const cluster = generated('cluster', { cluster: { containerInsights: true } }).Resources[CLUSTER.Cluster];
    expect(cluster.Properties.ClusterSettings).to.deep.equal([
      { Name: 'containerInsights', Value: 'enabled' },
    ]);
  });

  it('creates the app log group with the configured retention', () => {
    const group = generated('cluster', { logs: { retentionDays: 90 } }).Resources[CLUSTER.LogGroup]
      .Properties;
    expect(group).to.deep.equal({ LogGroupName: '/ecs/ecs-playground-dev', RetentionInDays: 90 });
  });

  it('deletes the app log group with the stack and on replacement, so its fixed name is free for the next deploy', () => {
    const group = generated('cluster').Resources[CLUSTER.LogGroup];
    expect(group.Properties.LogGroupName).to.be.a('string');
    expect(group).to.deep.include({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  it('lets the execution role pull only this repository and write only this log group', () => {
    const role = generated('cluster').Resources[CLUSTER.ExecutionRole].Properties;
    // Only ECS tasks of this account and region (AWS supports no per-cluster source ARN).
    expect(role.AssumeRolePolicyDocument.Statement).to.deep.equal(
      guardedTrust('ecs-tasks.amazonaws.com', { service: 'ecs', resource: '*' }),
    );
    const statements = role.Policies[0].PolicyDocument.Statement;
    expect(statements).to.deep.equal([
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'PullThisRepository',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: { 'Fn::ImportValue': 'ecs-playground-dev-registry:RepositoryArn' },
      },
      {
        Sid: 'WriteThisLogGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': ['AppLogGroup', 'Arn'] },
      },
    ]);
  });

  it('creates a task role without any policy', () => {
    const role = generated('cluster').Resources[CLUSTER.TaskRole].Properties;
    expect(role).to.not.have.any.keys('Policies', 'ManagedPolicyArns');
  });

  it('exports exactly the cluster keys of the contract', () => {
    expect(Object.keys(generated('cluster').Outputs)).to.deep.equal(Object.keys(EXPORTS.cluster));
  });
});
