import { describe, expect, it } from 'vitest';
import type { ValueChange } from './plan.ts';
import { changesInBody, mergeChanges, withChangesMarker } from './pull-request-body.ts';

const change = (image: string, to: string, from = '1.0'): ValueChange => ({
  file: `apps/${image}/kustomization.yaml`,
  line: 5,
  target: `images[${image}].newTag`,
  from,
  to,
  image,
});

describe('pull request body marker', () => {
  it('round-trips the changes behind the rendered body, escaping HTML', () => {
    const changes = [change('web', '2.0'), { ...change('api', '-->x<b>'), file: 'a<!--b-->.yaml' }];
    const body = withChangesMarker('Bump things\n\n| table |', changes);
    expect(body.startsWith('Bump things\n\n| table |\n\n<!-- slipway:image-bump [')).toBe(true);
    expect(body.match(/-->/g)).toHaveLength(1);
    expect(changesInBody(body)).toEqual(changes);
    // re-rendering replaces the marker instead of stacking a second one
    expect(withChangesMarker(body, [changes[0]!]).match(/slipway:image-bump/g)).toHaveLength(1);
  });

  it('merges: this run replaces the same file and value, keeps the others in order', () => {
    const earlier = [change('web', '2.0'), change('api', '3.0')];
    expect(mergeChanges(earlier, [change('web', '2.1'), change('db', '9')])).toEqual([
      change('api', '3.0'),
      change('web', '2.1'),
      change('db', '9'),
    ]);
  });

  it('ignores a missing or edited marker', () => {
    expect(changesInBody(undefined)).toEqual([]);
    expect(changesInBody('written by a human')).toEqual([]);
    expect(changesInBody('x\n<!-- slipway:image-bump [{"file": 1}] -->')).toEqual([]);
    expect(changesInBody('x\n<!-- slipway:image-bump [not json] -->')).toEqual([]);
  });

  it('takes the last marker, keeps text a human wrote before it, and drops entries of the wrong type', () => {
    const quoted = 'see `<!-- slipway:image-bump [] -->` above\n\n';
    const body = withChangesMarker(quoted, [change('web', '2.0')]);
    expect(changesInBody(body)).toEqual([change('web', '2.0')]);
    expect(withChangesMarker(body, [])).toBe(`${quoted.trimEnd()}\n\n<!-- slipway:image-bump [] -->\n`);
    expect(
      changesInBody(`x\n<!-- slipway:image-bump [${JSON.stringify({ ...change('a', '1'), to: 7 })}] -->`),
    ).toEqual([]);
  });

  // each body made the regular expression this parser replaced backtrack for seconds;
  // the bound is the test's own timeout (a pause between cases lets the timer fire)
  it(
    'reads and replaces the marker of hostile 64 KiB bodies in linear time',
    { timeout: 2_000 },
    async () => {
      const size = 64 * 1024;
      const open = '<!-- slipway:image-bump [';
      const marker = withChangesMarker('', [change('web', '2.0')]).trim();
      const hostile = [
        '\n'.repeat(size),
        `${'\n'.repeat(size)}x`,
        `${'\n'.repeat(size)}${marker}`,
        open.repeat(size / open.length),
        `\n${open}] -->x`.repeat(size / 32),
        `${marker}${' '.repeat(size)}`,
      ];
      for (const body of hostile) {
        const found = changesInBody(body);
        expect(found).toEqual(body.trimEnd().endsWith(marker) ? [change('web', '2.0')] : []);
        const rewritten = withChangesMarker(body, []);
        expect(rewritten.endsWith('\n\n<!-- slipway:image-bump [] -->\n')).toBe(true);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  );
});
