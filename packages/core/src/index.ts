export { UserError, InputError, errorMessage } from './errors.ts';
export {
  InputReader,
  envInputSource,
  inputEnvName,
  parseDuration,
  formatDuration,
  type InputSource,
} from './inputs.ts';
export {
  run,
  runPost,
  formatFailure,
  actionsCoreReporter,
  BUG_REPORT_HINT,
  type FailureReporter,
} from './run.ts';
export {
  retry,
  isSocketTimeout,
  classifyTransient,
  statusOf,
  backoffDelay,
  RetryableError,
  DEFAULT_RETRY,
  type RetryOptions,
  type RetryDecision,
} from './retry.ts';
export { maskSecret, secretForms, redact, actionsCoreMask, type MaskSink } from './masking.ts';
export {
  markdownTable,
  escapeCell,
  details,
  codeBlock,
  escapeHtml,
  actionsSummaryWriter,
  type SummaryWriter,
} from './summary.ts';
export {
  parseOciReference,
  checkReference,
  partProblems,
  splitReference,
  splitDomain,
  isDomainComponent,
  nameProblem,
  domainProblem,
  tagProblem,
  digestProblem,
  formatReference,
  dockerHubName,
  OciReferenceError,
  DOCKER_HUB,
  DIGEST_HEX_LENGTH,
  NAME_TOTAL_LENGTH_MAX,
  TAG_RE,
  type OciReference,
  type ReferenceParts,
} from './oci-reference.ts';
export {
  octokitNoResponse,
  octokitNoResponseError,
  NO_RESPONSE_HINT,
  type OctokitNoResponse,
} from './octokit-no-response.ts';
export { proxyRefusal, type ProxyRefusal } from './proxy-refusal.ts';
export { readBoundedBody, checkDeclaredLength, type BodyStream } from './bounded-body.ts';
export { jobCanMintIdToken } from './id-token-job.ts';
export { SLIPWAY_VERSION } from './version.ts';
export { githubApiUrl, githubServerUrl } from './github-urls.ts';
export {
  createHttpTransport,
  createHttpStreamTransport,
  checkStatus,
  retryAfterMs,
  NetworkError,
  HttpStatusError,
  ResponseTooLargeError,
  MAX_RESPONSE_BYTES,
  type HttpTransport,
  type HttpStreamTransport,
  type HttpStreamResponse,
  type HttpRequest,
  type HttpResponse,
  type HttpTransportOptions,
  type TransportTls,
} from './http-transport.ts';
