import {
  BatchDeleteImageCommand,
  ECRClient,
  ListImagesCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { DeleteObjectsCommand, ListObjectVersionsCommand, NoSuchBucket, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { emptyBucket, emptyRepository } from '../../scripts/deploy/aws/emptying';
import { recordingRuntime, useMocks } from './fixtures';

describe('emptying the artifact bucket', () => {
  const m = useMocks({ s3: S3Client });

  it('deletes every version and delete marker of 2 pages, one DeleteObjects call per page', async () => {
    m.s3
      .on(ListObjectVersionsCommand, {
        Bucket: 'artifacts',
        KeyMarker: undefined,
        VersionIdMarker: undefined,
      })
      .resolves({
        Versions: [
          { Key: 'rolling/source.zip', VersionId: 'v1' },
          { Key: 'rolling/source.zip', VersionId: 'v2' },
        ],
        DeleteMarkers: [{ Key: 'rolling/build.zip', VersionId: 'm1' }],
        IsTruncated: true,
        NextKeyMarker: 'rolling/build.zip',
        NextVersionIdMarker: 'm1',
      })
      .on(ListObjectVersionsCommand, {
        Bucket: 'artifacts',
        KeyMarker: 'rolling/build.zip',
        VersionIdMarker: 'm1',
      })
      .resolves({ Versions: [{ Key: 'taskdef.json', VersionId: 'null' }], IsTruncated: false });
    m.s3.on(DeleteObjectsCommand).resolves({});
    const { rt, lines } = recordingRuntime();

    expect(await emptyBucket(rt, 'artifacts')).to.equal(4);

    expect(m.s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input)).to.deep.equal([
      { Bucket: 'artifacts', KeyMarker: undefined, VersionIdMarker: undefined },
      { Bucket: 'artifacts', KeyMarker: 'rolling/build.zip', VersionIdMarker: 'm1' },
    ]);
    expect(m.s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input)).to.deep.equal([
      {
        Bucket: 'artifacts',
        Delete: {
          Objects: [
            { Key: 'rolling/source.zip', VersionId: 'v1' },
            { Key: 'rolling/source.zip', VersionId: 'v2' },
            { Key: 'rolling/build.zip', VersionId: 'm1' },
          ],
          Quiet: true,
        },
      },
      { Bucket: 'artifacts', Delete: { Objects: [{ Key: 'taskdef.json', VersionId: 'null' }], Quiet: true } },
    ]);
    expect(lines).to.deep.equal([
      '[pipelines] deleted 4 object version(s) and delete marker(s) from bucket artifacts',
    ]);
  });

  it('fails when S3 reports an object it could not delete', async () => {
    m.s3.on(ListObjectVersionsCommand).resolves({
      Versions: [{ Key: 'a', VersionId: 'v1' }],
      IsTruncated: false,
    });
    m.s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: 'a', VersionId: 'v1', Code: 'AccessDenied', Message: 'Access Denied' }],
    });
    const { rt } = recordingRuntime();
    let error: Error | undefined;
    await emptyBucket(rt, 'artifacts').catch((e: Error) => {
      error = e;
    });
    expect(error?.message).to.equal(
      'could not delete 1 object version(s) from artifacts: a v1 AccessDenied: Access Denied',
    );
  });

  it('skips a bucket that no longer exists', async () => {
    m.s3
      .on(ListObjectVersionsCommand)
      .rejects(new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: {} }));
    const { rt, lines } = recordingRuntime();
    expect(await emptyBucket(rt, 'gone')).to.equal(0);
    expect(m.s3.commandCalls(DeleteObjectsCommand)).to.have.length(0);
    expect(lines).to.deep.equal(['[pipelines] bucket gone does not exist: nothing to empty']);
  });
});

describe('emptying the ECR repository', () => {
  const m = useMocks({ ecr: ECRClient });

  const digest = (i: number) => `sha256:${String(i).padStart(64, '0')}`;

  it('deletes 150 images by digest in batches of 100, after listing every page', async () => {
    m.ecr
      .on(ListImagesCommand, { repositoryName: 'repo', maxResults: 100, nextToken: undefined })
      .resolves({
        // one image with two tags appears twice: deleted once, by digest
        imageIds: [
          { imageDigest: digest(0), imageTag: 'abc1234' },
          { imageDigest: digest(0), imageTag: 'latest' },
          ...Array.from({ length: 99 }, (_, i) => ({ imageDigest: digest(i + 1) })),
        ],
        nextToken: 'page2',
      })
      .on(ListImagesCommand, { repositoryName: 'repo', maxResults: 100, nextToken: 'page2' })
      .resolves({ imageIds: Array.from({ length: 50 }, (_, i) => ({ imageDigest: digest(i + 100) })) });
    m.ecr.on(BatchDeleteImageCommand).resolves({ failures: [] });
    const { rt, lines } = recordingRuntime();

    expect(await emptyRepository(rt, 'repo')).to.equal(150);

    const batches = m.ecr.commandCalls(BatchDeleteImageCommand).map((c) => c.args[0].input);
    expect(batches.map((b) => b.imageIds?.length)).to.deep.equal([100, 50]);
    expect(batches[0].repositoryName).to.equal('repo');
    expect(batches[0].imageIds?.[0]).to.deep.equal({ imageDigest: digest(0) });
    expect(batches[1].imageIds?.[49]).to.deep.equal({ imageDigest: digest(149) });
    expect(lines).to.deep.equal(['[registry] deleted 150 image(s) from ECR repository repo']);
  });

  it('skips a repository that no longer exists', async () => {
    m.ecr
      .on(ListImagesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'not found', $metadata: {} }));
    const { rt } = recordingRuntime();
    expect(await emptyRepository(rt, 'repo')).to.equal(0);
    expect(m.ecr.commandCalls(BatchDeleteImageCommand)).to.have.length(0);
  });
});
