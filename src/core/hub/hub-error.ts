/** A hub call that failed: `not_found` (no such repo or file), `unavailable` (unreachable, 5xx, refused), `bad_response`. */
export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly code: 'not_found' | 'unavailable' | 'bad_response',
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Any error from @huggingface/hub or fetch as a HubError naming the hub. */
export function toHubError(error: unknown, hubUrl: string, what: string): HubError {
  if (error instanceof HubError) return error;
  const status = (error as { statusCode?: unknown }).statusCode;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof status === 'number') {
    if (status === 404) return new HubError('not_found', `${what}: the hub at ${hubUrl} has no such repo or file.`, status);
    if (status === 401 || status === 403) return new HubError('unavailable', `${what}: the hub at ${hubUrl} refused (${status}); the repo may be gated or private, so set HF_TOKEN.`, status);
    return new HubError('unavailable', `${what}: the hub at ${hubUrl} answered ${status} (${message}).`, status);
  }
  if ((error as { name?: unknown }).name === 'AbortError' || (error as { name?: unknown }).name === 'TimeoutError') {
    return new HubError('unavailable', `${what}: the hub at ${hubUrl} did not answer in time.`);
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : message;
  return new HubError('unavailable', `${what}: cannot reach the hub at ${hubUrl} (${detail}). Check the connection, or hub.url in switchboard.yaml / HF_ENDPOINT.`);
}
