/**
 * Calls of the results service's ArtifactService (Twirp, JSON encoding): POST
 * `<origin>/twirp/github.actions.results.api.v1.ArtifactService/<Method>` with
 * the runtime token as bearer and the request message as JSON with proto field
 * names (int64 as strings, wrappers as plain values, Timestamp as RFC 3339). A
 * failure answers a Twirp error `{code, msg}` with the matching HTTP status.
 * 5xx, 429 and failures without a response are retried; a `msg` that says
 * "insufficient usage" (the storage quota) never is.
 */
import { errorMessage } from '../errors.ts';
import type { HttpTransport } from '../http-transport.ts';
import type { ArtifactService } from './artifact-service.ts';
import {
  ArtifactStorageQuotaError,
  ArtifactUploadError,
  failedStatusError,
  noAnswerError,
  retryStep,
  type StepRetryOptions,
} from './upload-retry.ts';

export const ARTIFACT_SERVICE_PATH = '/twirp/github.actions.results.api.v1.ArtifactService/';

export type ArtifactMethod = 'CreateArtifact' | 'FinalizeArtifact';

/** The Twirp error of a failed answer, as far as the body is one. */
function twirpError(body: Buffer): { code?: string; msg?: string } {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object') {
      const { code, msg } = parsed as { code?: unknown; msg?: unknown };
      return {
        ...(typeof code === 'string' ? { code } : {}),
        ...(typeof msg === 'string' ? { msg } : {}),
      };
    }
  } catch {
    // not JSON: a proxy or load balancer answered
  }
  return {};
}

/** One attempt: the reply message, or an ArtifactUploadError. */
async function callOnce(
  service: ArtifactService,
  method: ArtifactMethod,
  message: Record<string, unknown>,
  http: HttpTransport,
): Promise<Record<string, unknown>> {
  let response;
  try {
    response = await http({
      method: 'POST',
      url: `${service.resultsOrigin}${ARTIFACT_SERVICE_PATH}${method}`,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        Authorization: `Bearer ${service.token}`,
      },
      body: JSON.stringify(message),
    });
  } catch (error) {
    throw noAnswerError(method, `could not reach the artifact service: ${errorMessage(error)}`, error);
  }
  const { status } = response;
  if (status >= 200 && status < 300) {
    try {
      const reply: unknown = JSON.parse(response.body.toString('utf8'));
      if (reply && typeof reply === 'object' && !Array.isArray(reply))
        return reply as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new ArtifactUploadError(
      method,
      `the artifact service answered ${method} with HTTP ${status} and a body that is not a JSON object`,
      { status, retryable: false },
    );
  }
  const { code, msg } = twirpError(response.body);
  const reason = `the artifact service answered ${method} with HTTP ${status}${code ? ` (${code})` : ''}${msg ? `: ${msg}` : ''}`;
  if (msg?.includes('insufficient usage')) throw new ArtifactStorageQuotaError(method, reason, status, code);
  throw failedStatusError(method, reason, response, code);
}

/** Calls `method` with `message`, retrying transient failures; returns the reply message. */
export function callArtifactService(
  service: ArtifactService,
  method: ArtifactMethod,
  message: Record<string, unknown>,
  options: StepRetryOptions & { http: HttpTransport },
): Promise<Record<string, unknown>> {
  return retryStep(method, () => callOnce(service, method, message, options.http), options);
}
