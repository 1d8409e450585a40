/** What discovery's AWS lookups share: the error that names a missing piece, and the call options. */

/** Discovery could not find something it needs; the message names the missing piece. */
export class DiscoveryError extends Error {
  override name = 'DiscoveryError';
}

/** Options of every AWS call discovery makes: the budget's abort signal. */
export type Opts = { abortSignal?: AbortSignal };
