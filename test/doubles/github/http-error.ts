/** An error a route handler throws to answer like GitHub does (`{ message, documentation_url, status }`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function notFound(): HttpError {
  return new HttpError(404, 'Not Found');
}

/** GitHub's 422 with an `errors` array (validation failures). */
export function unprocessable(message: string, errors?: Array<Record<string, unknown>>): HttpError {
  return new HttpError(422, message, errors ? { errors } : {});
}
