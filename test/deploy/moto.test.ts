/**
 * The executor's AWS steps against moto_server, a local AWS API emulator (real HTTP, real SDK
 * serialisation, no mocks): deploy the generated registry template through a change set, re-run it
 * unchanged, empty a versioned bucket and an image repository, delete the stack.
 * Skipped when moto_server is not installed (`pip install 'moto[server]'`).
 */
import { join } from 'node:path';
import { CreateRepositoryCommand, DescribeImagesCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { REPO_ROOT } from '../../config';
import { createClients } from '../../scripts/deploy/aws/clients';
import { emptyBucket, emptyRepository } from '../../scripts/deploy/aws/emptying';
import { deleteStack, deployStack, describeStack } from '../../scripts/deploy/aws/stacks';
import type { Runtime } from '../../scripts/deploy/runtime';
import { templateBody } from '../../scripts/deploy/templates';
import { useMoto } from '../support/moto';
import { REGION } from './fixtures';

describe('AWS steps against a local AWS API emulator (moto)', function () {
  this.timeout(60_000);
  let rt: Runtime;
  const lines: string[] = [];
  useMoto();

  before(() => {
    rt = {
      clients: createClients(REGION),
      region: REGION,
      log: (l) => lines.push(l),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: () => new Date(),
      run: async () => 0,
      pollMs: 100,
    };
    // moto needs path-style S3 addressing on a plain endpoint.
    rt.clients.s3.config.forcePathStyle = true;
  });

  it('creates the registry stack, skips the unchanged re-run, then deletes it', async () => {
    const path = 'cloudformation/templates/registry.json';
    const reference = join(REPO_ROOT, 'cloudformation/templates');
    const d = {
      stackName: 'moto-registry',
      label: 'registry',
      templatePath: path,
      templateBody: templateBody(path, reference),
      parameters: () => [],
      resourceCount: 1,
    };
    expect(await deployStack(rt, d)).to.equal('created');
    const stack = await describeStack(rt, 'moto-registry');
    expect(stack?.StackStatus).to.equal('CREATE_COMPLETE');
    // (moto's change sets create no outputs, so the outputs are not checked here.)
    expect(await deployStack(rt, d)).to.equal('unchanged');
    expect(lines).to.include('[registry] moto-registry: no changes');
    expect(await deleteStack(rt, 'moto-registry', 'registry')).to.equal('deleted');
    expect(await describeStack(rt, 'moto-registry')).to.equal(undefined);
  });

  it('empties a versioned bucket: every version and delete marker', async () => {
    const { s3 } = rt.clients;
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'artifacts',
        CreateBucketConfiguration: { LocationConstraint: REGION as BucketLocationConstraint },
      }),
    );
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: 'artifacts', VersioningConfiguration: { Status: 'Enabled' } }),
    );
    for (const body of ['v1', 'v2', 'v3'])
      await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'build.zip', Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'source.zip', Body: 'x' }));

    expect(await emptyBucket(rt, 'artifacts')).to.equal(4);
    const left = await s3.send(new ListObjectVersionsCommand({ Bucket: 'artifacts' }));
    expect([...(left.Versions ?? []), ...(left.DeleteMarkers ?? [])]).to.deep.equal([]);
  });

  it('empties an image repository', async () => {
    const { ecr } = rt.clients;
    const repositoryName = 'moto-images';
    await ecr.send(new CreateRepositoryCommand({ repositoryName }));
    for (const tag of ['3f2c9a1', '4e5d6c7']) {
      const mediaType = 'application/vnd.docker.distribution.manifest.v2+json';
      // A layer of its own per image: moto derives the image digest from the layer digests, and
      // without layers it draws one of 101 random digests, so two images could share one.
      const layer = {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: 1,
        digest: `sha256:${tag}`,
      };
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType,
        config: { digest: `sha256:${tag}` },
        layers: [layer],
      });
      await ecr.send(
        new PutImageCommand({
          repositoryName,
          imageTag: tag,
          imageManifest: manifest,
          imageManifestMediaType: mediaType,
        }),
      );
    }

    expect(await emptyRepository(rt, repositoryName)).to.equal(2);
    const left = await ecr.send(new DescribeImagesCommand({ repositoryName }));
    expect(left.imageDetails).to.deep.equal([]);
  });
});
