// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import { RESOURCE_STAR_ACTIONS } from '../../../cloudformation/iam';
import { PIPELINES_IDS as IDS } from '../../../cloudformation/pipelines';
import { generated, guardedTrust } from '../helpers';
import { actionsOf, EXISTING, statement, statements } from './support';

describe('pipelines stack: roles and permissions', () => {
  const t = generated('pipelines');

  it('grants no Action "*", no service-wide wildcard, and Resource "*" only for the allow-listed actions', () => {
    for (const variant of [t, generated('pipelines', { github: { connectionArn: EXISTING } })]) {
      for (const { at, s } of statements(variant)) {
        for (const action of actionsOf(s)) {
          expect(action, at).not.to.equal('*');
          if (s.Effect === 'Allow') expect(action, `${at} ${s.Sid}`).not.to.match(/:\*$/);
        }
        if (s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*'))) {
          for (const action of actionsOf(s)) {
            expect(RESOURCE_STAR_ACTIONS, `${at} ${s.Sid}: ${action} on "*"`).to.have.property(action);
          }
        }
      }
    }
  });

  it("lets the pipelines pass only the two task roles: the ECS actions as AWS's ECS deploy action reference says, CodeDeploy's to ECS tasks", () => {
    const passRoles = statements(t).filter(({ s }) => actionsOf(s).includes('iam:PassRole'));
    expect(passRoles.map(({ at }) => at)).to.deep.equal([IDS.rollingRole, IDS.blueGreenRole, IDS.canaryRole]);
    const passedTo: Record<string, unknown> = {
      // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html, "Service role permissions"
      [IDS.rollingRole]: ['ecs.amazonaws.com', 'ecs-tasks.amazonaws.com'],
      [IDS.canaryRole]: ['ecs.amazonaws.com', 'ecs-tasks.amazonaws.com'],
      [IDS.blueGreenRole]: 'ecs-tasks.amazonaws.com',
    };
    for (const { at, s } of passRoles) {
      expect(s.Resource, at).to.deep.equal([
        { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ExecutionRoleArn' },
        { 'Fn::ImportValue': 'ecs-playground-dev-cluster:TaskRoleArn' },
      ]);
      expect(s.Condition, at).to.deep.equal({ StringEquals: { 'iam:PassedToService': passedTo[at] } });
      expect(s.Sid, at).to.equal('PassTaskRoles');
    }
  });

  it('limits each role to its own resources: repository, log group, bucket, service, deployment group', () => {
    expect(statement(t, IDS.buildRole, 'PushPullRepository').Resource).to.deep.equal({
      'Fn::ImportValue': 'ecs-playground-dev-registry:RepositoryArn',
    });
    expect(statement(t, IDS.buildRole, 'WriteBuildLogs').Resource).to.deep.equal([
      {
        'Fn::Sub':
          'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codebuild/ecs-playground-dev',
      },
      {
        'Fn::Sub':
          'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codebuild/ecs-playground-dev:log-stream:*',
      },
    ]);
    expect(statement(t, IDS.rollingRole, 'UpdateRollingService')).to.deep.include({
      Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
      Resource: {
        'Fn::Sub': [
          'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${Cluster}/ecs-playground-dev-rolling',
          { Cluster: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ClusterName' } },
        ],
      },
    });
    expect(statement(t, IDS.blueGreenRole, 'StartDeployment').Resource).to.deep.equal({
      'Fn::Sub':
        'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:ecs-playground-dev/ecs-playground-dev-bluegreen',
    });
    expect(statement(t, IDS.blueGreenRole, 'ReadDeploymentConfig').Resource).to.deep.equal({
      'Fn::Sub':
        'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentconfig:CodeDeployDefault.ECSCanary10Percent5Minutes',
    });
    const custom = generated('pipelines', {
      blueGreen: {
        deploymentConfig: { name: 'Canary25', type: 'TimeBasedCanary', percentage: 25, intervalMinutes: 2 },
      },
    });
    expect(statement(custom, IDS.blueGreenRole, 'ReadDeploymentConfig').Resource['Fn::Sub']).to.match(
      /:deploymentconfig:Canary25$/,
    );
    // Neither pipeline may touch the other's target: the rolling role has no CodeDeploy, the blue/green none of ECS services.
    expect(
      statements(t)
        .filter(({ at }) => at === IDS.rollingRole)
        .flatMap(({ s }) => actionsOf(s)),
    ).to.satisfy((a: string[]) => !a.some((x) => x.startsWith('codedeploy:')));
    expect(
      statements(t)
        .filter(({ at }) => at === IDS.blueGreenRole)
        .flatMap(({ s }) => actionsOf(s)),
    ).to.satisfy((a: string[]) => !a.includes('ecs:UpdateService'));
  });

  it("grants both pipeline roles the bucket reads of AWS's minimum service-role policy, on the artifact bucket only", () => {
    // AllowS3BucketAccess of https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html
    for (const id of [IDS.rollingRole, IDS.blueGreenRole]) {
      expect(statement(t, id, 'InspectArtifactBucket'), id).to.deep.equal({
        Sid: 'InspectArtifactBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation'],
        Resource: { 'Fn::GetAtt': [IDS.bucket, 'Arn'] },
      });
    }
  });

  it('lets only CodeBuild running this project and CodePipeline of this account assume the roles', () => {
    const trust = (id: string) => t.Resources[id].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust(IDS.buildRole)).to.deep.equal(
      guardedTrust('codebuild.amazonaws.com', {
        service: 'codebuild',
        resource: 'project/ecs-playground-dev',
      }),
    );
    for (const id of [IDS.rollingRole, IDS.blueGreenRole]) {
      expect(trust(id)).to.deep.equal(guardedTrust('codepipeline.amazonaws.com'));
    }
  });
});
