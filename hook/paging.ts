/**
 * Bounded paging for the AWS list calls discovery makes (DescribeRules, ListDeploymentTargets).
 * An API that keeps returning a marker must not keep the hook calling until its budget runs out:
 * a marker seen before, or more than `maxPages` pages, ends the listing with an error that says so.
 */

export interface Page<T> {
  items: readonly T[];
  /** The token for the next page; undefined or empty on the last page. */
  next?: string | undefined;
}

/** The paging went wrong (a repeated marker, too many pages); the message names the call. */
export class PagingError extends Error {
  override name = 'PagingError';
}

/**
 * Far more pages than any listing here has: our test listener has one or two rules and an ECS
 * deployment one target, each page holding many.
 */
export const MAX_PAGES = 10;

/**
 * Calls `fetchPage` with each marker in turn (undefined first) and returns the first item `pick`
 * accepts, or undefined after the last page.
 */
export async function findInPages<T, R>(
  what: string,
  fetchPage: (marker: string | undefined) => Promise<Page<T>>,
  pick: (item: T) => R | undefined,
  maxPages: number = MAX_PAGES,
): Promise<R | undefined> {
  const seen = new Set<string>();
  let marker: string | undefined;
  for (let page = 1; ; page++) {
    const { items, next } = await fetchPage(marker);
    for (const item of items) {
      const found = pick(item);
      if (found !== undefined) return found;
    }
    if (!next) return undefined;
    if (seen.has(next)) {
      throw new PagingError(
        `${what} returned the marker ${JSON.stringify(next)} a second time after ${page} pages: stopped instead of looping`,
      );
    }
    if (page >= maxPages) {
      throw new PagingError(
        `${what} still had more after ${maxPages} pages: stopped (at most ${maxPages} are read)`,
      );
    }
    seen.add(next);
    marker = next;
  }
}

/** Every item of every page (same bounds as findInPages). */
export async function allPages<T>(
  what: string,
  fetchPage: (marker: string | undefined) => Promise<Page<T>>,
  maxPages: number = MAX_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  await findInPages<T, never>(
    what,
    fetchPage,
    (item) => {
      items.push(item);
      return undefined;
    },
    maxPages,
  );
  return items;
}
