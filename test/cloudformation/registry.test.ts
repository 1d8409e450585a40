import { expect } from 'chai';
import { EXPORTS } from '../../cloudformation/common';
import { REGISTRY } from '../../cloudformation/registry';
import { generated } from './helpers';

describe('registry template', () => {
  it('creates a repository with immutable tags but the build cache tag, scanned, encrypted, emptied on delete by default', () => {
    const repo = generated('registry').Resources[REGISTRY.Repository];
    expect(repo.Type).to.equal('AWS::ECR::Repository');
    expect(repo.Properties).to.deep.include({
      RepositoryName: 'ecs-playground-dev',
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        {
          ImageTagMutabilityExclusionFilterType: 'WILDCARD',
          ImageTagMutabilityExclusionFilterValue: 'buildcache',
        },
      ],
      ImageScanningConfiguration: { ScanOnPush: true },
      EncryptionConfiguration: { EncryptionType: 'AES256' },
      EmptyOnDelete: true,
    });
  });

  it('keeps registry.keepImages images and expires untagged ones', () => {
    const text = generated('registry', { registry: { keepImages: 7 } }).Resources[REGISTRY.Repository]
      .Properties.LifecyclePolicy.LifecyclePolicyText;
    const rules = JSON.parse(text).rules;
    expect(rules.map((r: { rulePriority: number }) => r.rulePriority)).to.deep.equal([1, 2]);
    expect(rules[0].selection).to.deep.equal({
      tagStatus: 'untagged',
      countType: 'sinceImagePushed',
      countUnit: 'days',
      countNumber: 1,
    });
    expect(rules[1].selection).to.deep.equal({
      tagStatus: 'any',
      countType: 'imageCountMoreThan',
      countNumber: 7,
    });
  });

  it('exports the repository name, ARN and URI', () => {
    const t = generated('registry');
    expect(Object.keys(t.Outputs)).to.deep.equal(Object.keys(EXPORTS.registry));
    expect(t.Outputs.RepositoryUri.Value).to.deep.equal({ 'Fn::GetAtt': ['Repository', 'RepositoryUri'] });
  });
});
