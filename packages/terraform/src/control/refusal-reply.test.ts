import { UserError } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { REFUSAL_MARKER, refusalReplyBody } from './refusal-reply.ts';

describe('refusalReplyBody', () => {
  it('says which command was refused, why, what to do, and links the run', () => {
    const body = refusalReplyBody({
      command: 'apply',
      error: new UserError('/apply by @mallory refused: their permission is "read".', {
        hint: 'Ask a maintainer.',
      }),
      runUrl: 'https://github.com/acme/infra/actions/runs/9',
    });
    expect(body).toBe(
      `${REFUSAL_MARKER}\n**/apply was refused.** /apply by @mallory refused: their permission is "read".\n\nAsk a maintainer.\n\n[The run that refused it](https://github.com/acme/infra/actions/runs/9)\n`,
    );
  });

  it('keeps text from the comment inert: no HTML, no hidden comment, one line', () => {
    const body = refusalReplyBody({
      command: null,
      error: new UserError('<!-- x\n# heading `code` <img src=x>'),
    });
    expect(body).toBe(
      `${REFUSAL_MARKER}\n**The command was refused.** &lt;!-- x # heading &#96;code&#96; &lt;img src=x&gt;\n`,
    );
  });
});
