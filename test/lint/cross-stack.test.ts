import { expect } from 'chai';
import { STACKS } from '../../config';
import { deployOrder } from '../../scripts/lint/cross-stack/deploy-order';
import { checkCrossStack, REFERENCES_CHECK } from '../../scripts/lint/cross-stack/imports';
import { checkParameters, PARAMETERS_CHECK } from '../../scripts/lint/cross-stack/parameters';
import { config, fixture, label } from './support';

const ORDER = [
  'network',
  'registry',
  'cluster',
  'pipelines',
  'hook',
  'service-rolling',
  'service-bluegreen',
  'service-canary',
] as const;

describe('lint: cross-stack references', () => {
  it('fails when an import matches no export of another stack', () => {
    const templates = [
      fixture('import-without-export/service-rolling.json', 'service-rolling'),
      fixture('import-without-export/network.json', 'network'),
    ];
    expect(checkCrossStack(templates, ORDER)).to.deep.equal([
      {
        check: REFERENCES_CHECK,
        template: label('import-without-export/service-rolling.json'),
        location: '',
        message:
          'Resources.Other.Properties.VpcId.Fn::ImportValue → "ecs-playground-dev-network:VpcIdd" is exported by no generated stack',
      },
    ]);
  });

  it('fails when the exporting stack deploys after the importing one', () => {
    const templates = [
      fixture('import-from-later-stack/network.json', 'network'),
      fixture('import-from-later-stack/service-rolling.json', 'service-rolling'),
    ];
    expect(checkCrossStack(templates, ORDER)).to.deep.equal([
      {
        check: REFERENCES_CHECK,
        template: label('import-from-later-stack/network.json'),
        location: '',
        message:
          'Resources.Topic.Properties.DisplayName.Fn::ImportValue → "ecs-playground-dev-service-rolling:ServiceName" ' +
          `is exported by ${label('import-from-later-stack/service-rolling.json')}, which is not deployed earlier`,
      },
    ]);
  });

  it('fails on a dangling Ref inside a template', () => {
    expect(checkCrossStack([fixture('dangling-ref.json')], ORDER).map((f) => f.message)).to.deep.equal([
      'Resources.LogGroup.Properties.LogGroupName.Ref → "MissingName" is not a resource, parameter or pseudo parameter',
    ]);
  });

  it('takes the deploy order from the deploy plan, the hook after pipelines', () => {
    const templates = STACKS.map((s) => fixture(`parameters/${s === 'cluster' ? 'network' : s}.json`, s));
    expect(deployOrder(config, templates)).to.deep.equal([...ORDER]);
  });
});

describe('lint: parameters', () => {
  it('fails when the deploy plan refuses a parameter and when a parameter is never used', () => {
    const templates = STACKS.map((s) => fixture(`parameters/${s}.json`, s));
    const refused =
      'cloudformation/templates/cluster.json: declares parameter Stage, which the deploy does not supply';
    expect(checkParameters(config, templates)).to.deep.equal([
      {
        check: PARAMETERS_CHECK,
        template: 'scripts/deploy/plan.ts',
        location: '',
        message: `deploy plan (first deploy) refused the templates: ${refused.replace('cloudformation/templates/cluster.json', label('parameters/cluster.json'))}`,
      },
      {
        check: PARAMETERS_CHECK,
        template: 'scripts/deploy/plan.ts',
        location: '',
        message: `deploy plan (re-deploy) refused the templates: ${refused.replace('cloudformation/templates/cluster.json', label('parameters/cluster.json'))}`,
      },
      {
        check: PARAMETERS_CHECK,
        template: label('parameters/service-bluegreen.json'),
        location: 'Parameters/ImageUri',
        message: 'declared but never referenced (Ref or Fn::Sub)',
      },
    ]);
  });

  it('fails when the hook stack declares a parameter without a default (sls deploy passes none)', () => {
    const templates = [
      ...STACKS.map((s) => fixture(`parameters/${s === 'cluster' ? 'network' : s}.json`, s)),
      fixture('parameters/hook.json', 'hook'),
    ];
    expect(
      checkParameters(config, templates).map((f) => `${f.template} ${f.location}: ${f.message}`),
    ).to.deep.equal([
      `${label('parameters/service-bluegreen.json')} Parameters/ImageUri: declared but never referenced (Ref or Fn::Sub)`,
      `${label('parameters/hook.json')} Parameters/DeploymentBucketName: has no default and the deploy does not pass it`,
    ]);
  });
});
