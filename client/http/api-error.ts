/** Why a request to the server failed: it could not be reached, or it answered with an error. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** 'unreachable': no HTTP answer at all (server down, connection refused or aborted by the network). */
    readonly reason: 'unreachable' | 'http',
    message: string,
    /** The HTTP status, for reason 'http'. */
    readonly status?: number,
    /** The server's error code from its `{error:{code,message}}` body, when it sent one. */
    readonly code?: string,
    /** Seconds to wait before trying again (429 lock-out, 503 store unavailable), when the server said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
