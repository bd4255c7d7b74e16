/**
 * @slipway/terraform/render: the plan comment (markdown, marker) with secrets redacted.
 */
export * from './comment-marker.ts';
export * from './plan-comment.ts';
export * from './plan-markdown.ts';
export * from './redaction.ts';
export * from './scrubbed-runner.ts';
