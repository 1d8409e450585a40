// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import { PIPELINES_IDS as IDS } from '../../../cloudformation/pipelines';
import { importValues } from '../../../scripts/lint/cross-stack/references';
import { generated, type Json, ofType } from '../helpers';
import { deployAction, stages } from './support';

describe('pipelines stack: the two pipelines', () => {
  const t = generated('pipelines');

  it('creates pipeline 1 as Source → Build → Deploy (ECS) on the rolling service with the derived deployment timeout', () => {
    const s = stages(t, IDS.rollingPipeline);
    expect(s.map((x) => [x.Name, x.Actions[0].ActionTypeId.Provider])).to.deep.equal([
      ['Source', 'CodeStarSourceConnection'],
      ['Build', 'CodeBuild'],
      ['Deploy', 'ECS'],
    ]);
    expect(s[0].Actions[0].OutputArtifacts).to.deep.equal([{ Name: 'SourceOutput' }]);
    expect(s[1].Actions[0]).to.deep.include({
      Configuration: { ProjectName: { Ref: IDS.buildProject } },
      InputArtifacts: [{ Name: 'SourceOutput' }],
      OutputArtifacts: [{ Name: 'BuildOutput' }],
    });
    expect(deployAction(t, IDS.rollingPipeline)).to.deep.include({
      Configuration: {
        ClusterName: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ClusterName' },
        ServiceName: 'ecs-playground-dev-rolling',
        FileName: 'imagedefinitions.json',
        // config/timeouts.ts: the circuit breaker stopping an unhealthy release, 215 s, × 2 → 8 min.
        DeploymentTimeout: '8',
      },
      InputArtifacts: [{ Name: 'BuildOutput' }],
    });
  });

  it('deploys pipeline 1 to the service the service-rolling stack creates', () => {
    const [[, service]] = ofType(generated('service-rolling'), 'AWS::ECS::Service');
    expect(deployAction(t, IDS.rollingPipeline).Configuration.ServiceName).to.equal(
      service.Properties.ServiceName,
    );
    expect(deployAction(t, IDS.rollingPipeline).Configuration.ClusterName).to.deep.equal(
      service.Properties.Cluster,
    );
  });

  it('creates pipeline 2 as Source → Build → Deploy (CodeDeployToECS) with taskdef.json, appspec.yml and Image1', () => {
    expect(stages(t, IDS.blueGreenPipeline).map((x) => x.Actions[0].ActionTypeId.Provider)).to.deep.equal([
      'CodeStarSourceConnection',
      'CodeBuild',
      'CodeDeployToECS',
    ]);
    expect(deployAction(t, IDS.blueGreenPipeline)).to.deep.include({
      Configuration: {
        ApplicationName: 'ecs-playground-dev',
        DeploymentGroupName: 'ecs-playground-dev-bluegreen',
        TaskDefinitionTemplateArtifact: 'BuildOutput',
        TaskDefinitionTemplatePath: 'taskdef.json',
        AppSpecTemplateArtifact: 'BuildOutput',
        AppSpecTemplatePath: 'appspec.yml',
        Image1ArtifactName: 'BuildOutput',
        Image1ContainerName: 'IMAGE1_NAME',
      },
      InputArtifacts: [{ Name: 'BuildOutput' }],
    });
  });

  it('points pipeline 2 at the CodeDeploy application and deployment group of the blue/green stack', () => {
    for (const app of ['ecs-playground', 'shop']) {
      const overrides = { app: { name: app, stage: 'prod' } };
      const bg = generated('service-bluegreen', overrides);
      const [[, application]] = ofType(bg, 'AWS::CodeDeploy::Application');
      const [[, group]] = ofType(bg, 'AWS::CodeDeploy::DeploymentGroup');
      const config = deployAction(generated('pipelines', overrides), IDS.blueGreenPipeline).Configuration;
      expect(config.ApplicationName).to.equal(application.Properties.ApplicationName);
      expect(config.DeploymentGroupName).to.equal(group.Properties.DeploymentGroupName);
    }
  });

  it('makes both pipelines V2, triggered by pushes to the configured branch', () => {
    const release = generated('pipelines', { github: { branch: 'release' } });
    for (const id of [IDS.rollingPipeline, IDS.blueGreenPipeline]) {
      expect(release.Resources[id].Properties).to.deep.include({
        PipelineType: 'V2',
        ExecutionMode: 'SUPERSEDED',
        Triggers: [
          {
            ProviderType: 'CodeStarSourceConnection',
            GitConfiguration: { SourceActionName: 'Source', Push: [{ Branches: { Includes: ['release'] } }] },
          },
        ],
      });
      expect(stages(release, id)[0].Actions[0].Configuration.BranchName).to.equal('release');
    }
    expect(t.Resources[IDS.rollingPipeline].Properties.Name).to.equal('ecs-playground-dev-rolling');
    expect(t.Resources[IDS.blueGreenPipeline].Properties.Name).to.equal('ecs-playground-dev-bluegreen');
  });

  it("retries every pipeline's failed Build action once by itself, and no other stage", () => {
    const pipelines = ofType(t, 'AWS::CodePipeline::Pipeline');
    expect(pipelines.map(([id]) => id)).to.have.members([
      IDS.rollingPipeline,
      IDS.blueGreenPipeline,
      IDS.canaryPipeline,
    ]);
    for (const [id] of pipelines) {
      const retrying = stages(t, id).filter((s) => s.OnFailure !== undefined);
      expect(
        retrying.map((s) => [s.Name, s.OnFailure]),
        id,
      ).to.deep.equal([['Build', { Result: 'RETRY', RetryConfiguration: { RetryMode: 'FAILED_ACTIONS' } }]]);
    }
    // With fewer strategies, the pipelines left still retry their Build stage.
    const one = generated('pipelines', { app: { strategies: ['bluegreen'] } });
    expect(stages(one, IDS.blueGreenPipeline)[1].OnFailure.Result).to.equal('RETRY');
  });

  it('imports only from the registry and cluster stacks and exports the bucket and connection', () => {
    const imported = new Set(importValues(t).map((i) => String(i.name).split(':')[0]));
    expect([...imported].sort()).to.deep.equal(['ecs-playground-dev-cluster', 'ecs-playground-dev-registry']);
    expect(Object.values(t.Outputs).map((o: Json) => o.Export.Name)).to.deep.equal([
      'ecs-playground-dev-pipelines:ArtifactBucketName',
      'ecs-playground-dev-pipelines:ConnectionArn',
    ]);
  });
});
