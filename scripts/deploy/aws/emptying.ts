/**
 * Emptying what CloudFormation refuses to delete while it holds data: the ECR repository (images)
 * and the versioned artifact bucket (every object version and delete marker).
 */
import {
  BatchDeleteImageCommand,
  type BatchDeleteImageCommandInput,
  ListImagesCommand,
  type ListImagesCommandInput,
} from '@aws-sdk/client-ecr';
import {
  DeleteObjectsCommand,
  type DeleteObjectsCommandInput,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandInput,
} from '@aws-sdk/client-s3';
import { awsErrorName, type Runtime } from '../runtime';

/** BatchDeleteImage accepts at most 100 image ids per call, so list 100 per page. */
export const ECR_PAGE = 100;

export function listImagesInput(repositoryName: string, nextToken?: string): ListImagesCommandInput {
  return { repositoryName, maxResults: ECR_PAGE, nextToken };
}

export function batchDeleteImageInput(
  repositoryName: string,
  digests: string[],
): BatchDeleteImageCommandInput {
  return { repositoryName, imageIds: digests.map((imageDigest) => ({ imageDigest })) };
}

/** Deletes every image (by digest, which removes all its tags); returns how many were deleted. */
export async function emptyRepository(rt: Runtime, repositoryName: string): Promise<number> {
  let deleted = 0;
  // Deleting while paginating would invalidate the token: collect every digest first.
  const digests = new Set<string>();
  let nextToken: string | undefined;
  try {
    do {
      const out = await rt.clients.ecr.send(
        new ListImagesCommand(listImagesInput(repositoryName, nextToken)),
      );
      for (const id of out.imageIds ?? []) if (id.imageDigest) digests.add(id.imageDigest);
      nextToken = out.nextToken;
    } while (nextToken);
  } catch (err) {
    if (awsErrorName(err) === 'RepositoryNotFoundException') {
      rt.log(`[registry] ECR repository ${repositoryName} does not exist: nothing to empty`);
      return 0;
    }
    throw err;
  }
  const all = [...digests];
  for (let i = 0; i < all.length; i += ECR_PAGE) {
    const chunk = all.slice(i, i + ECR_PAGE);
    const out = await rt.clients.ecr.send(
      new BatchDeleteImageCommand(batchDeleteImageInput(repositoryName, chunk)),
    );
    const failures = (out.failures ?? []).filter((f) => f.failureCode !== 'ImageNotFound');
    if (failures.length) {
      const f = failures[0];
      throw new Error(
        `could not delete ${failures.length} image(s) from ${repositoryName}: ${f.imageId?.imageDigest} ` +
          `${f.failureCode}: ${f.failureReason}`,
      );
    }
    deleted += chunk.length;
  }
  rt.log(`[registry] deleted ${deleted} image(s) from ECR repository ${repositoryName}`);
  return deleted;
}

export function listVersionsInput(
  bucket: string,
  keyMarker?: string,
  versionIdMarker?: string,
): ListObjectVersionsCommandInput {
  return { Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker };
}

export function deleteObjectsInput(
  bucket: string,
  objects: { Key: string; VersionId: string }[],
): DeleteObjectsCommandInput {
  // Quiet: the response lists only failures, which is all we check.
  return { Bucket: bucket, Delete: { Objects: objects, Quiet: true } };
}

/**
 * Deletes every object version and delete marker, one DeleteObjects call per listed page (a page
 * holds at most 1,000 entries, DeleteObjects' limit). Returns how many entries were deleted.
 */
export async function emptyBucket(rt: Runtime, bucket: string): Promise<number> {
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    let page: Awaited<ReturnType<typeof listPage>>;
    try {
      page = await listPage(rt, bucket, keyMarker, versionIdMarker);
    } catch (err) {
      if (awsErrorName(err) === 'NoSuchBucket') {
        rt.log(`[pipelines] bucket ${bucket} does not exist: nothing to empty`);
        return deleted;
      }
      throw err;
    }
    if (page.objects.length) {
      const out = await rt.clients.s3.send(
        new DeleteObjectsCommand(deleteObjectsInput(bucket, page.objects)),
      );
      if (out.Errors?.length) {
        const e = out.Errors[0];
        throw new Error(
          `could not delete ${out.Errors.length} object version(s) from ${bucket}: ${e.Key} ${e.VersionId} ` +
            `${e.Code}: ${e.Message}`,
        );
      }
      deleted += page.objects.length;
    }
    if (!page.truncated) break;
    keyMarker = page.nextKeyMarker;
    versionIdMarker = page.nextVersionIdMarker;
  }
  rt.log(`[pipelines] deleted ${deleted} object version(s) and delete marker(s) from bucket ${bucket}`);
  return deleted;
}

async function listPage(rt: Runtime, bucket: string, keyMarker?: string, versionIdMarker?: string) {
  const out = await rt.clients.s3.send(
    new ListObjectVersionsCommand(listVersionsInput(bucket, keyMarker, versionIdMarker)),
  );
  const objects = [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])]
    .filter((v) => v.Key !== undefined)
    .map((v) => ({ Key: v.Key!, VersionId: v.VersionId ?? 'null' }));
  return {
    objects,
    truncated: out.IsTruncated === true,
    nextKeyMarker: out.NextKeyMarker,
    nextVersionIdMarker: out.NextVersionIdMarker,
  };
}
