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
  ) {
    super(message);
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
