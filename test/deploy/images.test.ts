import { DescribeImagesCommand, ECRClient, ImageNotFoundException } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { CODEBUILD_COMPUTE_TYPES, CPU_ARCHITECTURES, type PlaygroundConfig } from '../../config';
import { imageDigests, parseImageUri, runningImage, sameImage } from '../../scripts/deploy/aws/images';
import { buildQuotaName } from '../../scripts/deploy/aws/quotas';
import { configWith } from '../support/config';
import { ACCOUNT, REGION, REPO_URI, recordingRuntime, useMocks } from './fixtures';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('images', () => {
  const m = useMocks({ ecs: ECSClient, ecr: ECRClient });

  it('splits image URIs, the registry case-insensitively', () => {
    expect(
      parseImageUri(`${REPO_URI.toUpperCase().replace('ECS-PLAYGROUND-DEV', 'ecs-playground-dev')}:abc1234`),
    ).to.deep.equal({
      registry: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`,
      repository: 'ecs-playground-dev',
      tag: 'abc1234',
      digest: undefined,
    });
    expect(parseImageUri(`${REPO_URI}@${DIGEST}`)?.digest).to.equal(DIGEST);
    expect(parseImageUri('not an image')).to.equal(undefined);
  });

  it('compares two spellings of one image by digest, else by tag (tags are immutable)', () => {
    const byTag = `${REPO_URI}:abc1234`;
    expect(sameImage(byTag, `${REPO_URI}@${DIGEST}`, { [byTag]: DIGEST })).to.equal(true);
    expect(sameImage(byTag, `${REPO_URI}@${DIGEST}`)).to.equal(false); // digest unknown: not provably the same
    expect(sameImage(byTag, byTag.replace('.dkr.ecr.', '.DKR.ECR.'))).to.equal(true);
    expect(sameImage(byTag, `${REPO_URI}:def5678`)).to.equal(false);
    expect(sameImage(byTag, `${REPO_URI}-other:abc1234`)).to.equal(false);
  });

  it('reads the image of the PRIMARY task set of a CODE_DEPLOY service', async () => {
    m.ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'ecs-playground-dev-bluegreen',
          status: 'ACTIVE',
          taskSets: [
            { id: 'ecs-svc/2', status: 'ACTIVE', taskDefinition: 'arn:td/bluegreen:9' },
            { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: 'arn:td/bluegreen:8' },
          ],
        },
      ],
    });
    m.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { containerDefinitions: [{ name: 'web', image: `${REPO_URI}:abc1234` }] },
    });
    const { rt } = recordingRuntime();
    expect(await runningImage(rt, 'ecs-playground-dev', 'ecs-playground-dev-bluegreen', 'web')).to.deep.equal(
      {
        uri: `${REPO_URI}:abc1234`,
        taskDefinition: 'arn:td/bluegreen:8',
      },
    );
    expect(m.ecs.commandCalls(DescribeTaskDefinitionCommand)[0].args[0].input).to.deep.equal({
      taskDefinition: 'arn:td/bluegreen:8',
    });
  });

  it('looks digests up in the repository by tag, skipping other repositories and tags ECR lost', async () => {
    m.ecr.on(DescribeImagesCommand, { imageIds: [{ imageTag: 'abc1234' }] }).resolves({
      imageDetails: [{ imageTags: ['abc1234'], imageDigest: DIGEST }],
    });
    m.ecr
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'gone000' }] })
      .rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }));
    const { rt } = recordingRuntime();
    const digests = await imageDigests(rt, 'ecs-playground-dev', REPO_URI, [
      `${REPO_URI}:abc1234`,
      `${REPO_URI}:gone000`,
      'public.ecr.aws/docker/library/node:22',
      `${REPO_URI}@${DIGEST}`,
    ]);
    expect(digests).to.deep.equal({ [`${REPO_URI}:abc1234`]: DIGEST, [`${REPO_URI}@${DIGEST}`]: DIGEST });
    expect(m.ecr.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input)).to.deep.equal([
      { repositoryName: 'ecs-playground-dev', imageIds: [{ imageTag: 'abc1234' }] },
      { repositoryName: 'ecs-playground-dev', imageIds: [{ imageTag: 'gone000' }] },
    ]);
  });

  it("names the CodeBuild quota of the project's environment as Service Quotas does", () => {
    expect(buildQuotaName(configWith())).to.equal('Concurrently running builds for Linux/Small environment');
    expect(
      buildQuotaName(
        configWith({ container: { architecture: 'ARM64' }, build: { computeType: 'BUILD_GENERAL1_LARGE' } }),
      ),
    ).to.equal('Concurrently running builds for ARM/Large environment');
    // Every pair the config allows has its name; the one it refuses (ARM/Medium) has none to guess.
    const names = CPU_ARCHITECTURES.flatMap((architecture) =>
      CODEBUILD_COMPUTE_TYPES.flatMap((computeType) => {
        let config: PlaygroundConfig;
        try {
          config = configWith({ container: { architecture }, build: { computeType } });
        } catch {
          return [`${architecture} ${computeType}: refused`];
        }
        return [`${architecture} ${computeType}: ${buildQuotaName(config)}`];
      }),
    );
    expect(names).to.deep.equal([
      'X86_64 BUILD_GENERAL1_SMALL: Concurrently running builds for Linux/Small environment',
      'X86_64 BUILD_GENERAL1_MEDIUM: Concurrently running builds for Linux/Medium environment',
      'X86_64 BUILD_GENERAL1_LARGE: Concurrently running builds for Linux/Large environment',
      'ARM64 BUILD_GENERAL1_SMALL: Concurrently running builds for ARM/Small environment',
      'ARM64 BUILD_GENERAL1_MEDIUM: refused',
      'ARM64 BUILD_GENERAL1_LARGE: Concurrently running builds for ARM/Large environment',
    ]);
  });
});
