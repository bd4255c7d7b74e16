import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setHelmValue } from './helm-values-edit.ts';
import { parseValuePath } from './value-path.ts';

const VALUES = 'charts/api/values.yaml';
const text = readFileSync(
  join(resolve(import.meta.dirname, '../../../test/fixtures/gitops/ops-repo'), VALUES),
  'utf8',
);
const set = (path: string, value: string, source = text, create = false) =>
  setHelmValue(VALUES, source, parseValuePath(path), value, { create });

function once(source: string, from: string, to: string): string {
  expect(source.split(from).length - 1, `'${from}' occurs once`).toBe(1);
  return source.replace(from, to);
}

describe('setHelmValue', () => {
  it('replaces image.tag in place, keeping the double quotes and the comment above', () => {
    const result = set('image.tag', '1.10.0');
    expect(result.text).toBe(once(text, 'tag: "1.9.0"', 'tag: "1.10.0"'));
    expect(result).toMatchObject({ before: '1.9.0', after: '1.10.0', changed: true, line: 9 });
  });

  it('sets image.repository with a 4-space indented file unchanged elsewhere', () => {
    expect(set('image.repository', 'ghcr.io/acme/api').text).toBe(
      once(text, 'repository: registry.example.com/acme/api\n', 'repository: ghcr.io/acme/api\n'),
    );
  });

  it('walks list indexes and flow mappings', () => {
    expect(set('workers[0].image.tag', '1.10.0').text).toBe(
      once(text, 'acme/mailer, tag: 1.9.0}', 'acme/mailer, tag: 1.10.0}'),
    );
    expect(set('workers[1].image.tag', '2.0.0').text).toBe(
      once(text, "tag: '1.9.0'   # keep in step with api", "tag: '2.0.0'   # keep in step with api"),
    );
    expect(set('workers[1].image.digest', `sha256:${'c'.repeat(64)}`).text).toBe(
      once(text, 'digest: ""', `digest: "sha256:${'c'.repeat(64)}"`),
    );
  });

  it('finds quoted keys that contain dots', () => {
    expect(set('podAnnotations."prometheus.io/scrape"', 'false').text).toBe(
      once(text, '"prometheus.io/scrape": "true"', '"prometheus.io/scrape": "false"'),
    );
    expect(set("podAnnotations['app.kubernetes.io/part-of']", 'store').text).toBe(
      once(text, 'app.kubernetes.io/part-of: shop', 'app.kubernetes.io/part-of: store'),
    );
  });

  it('refuses a path that does not exist, naming it', () => {
    expect(() => set('image.digest', 'x')).toThrow(
      'charts/api/values.yaml: `image.digest` does not exist (no `image.digest`).',
    );
    expect(() => set('images.tag', 'x')).toThrow('`images.tag` does not exist (no `images`)');
    expect(() => set('workers[5].image.tag', 'x')).toThrow('the list has 2 items');
    expect(() => set('image', 'x')).toThrow('`image` is a mapping, not a value');
    expect(() => set('replicaCount.x', 'x')).toThrow('is below a value that is not a mapping');
  });

  it('creates missing keys when asked, in the file indentation', () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    expect(set('image.digest', digest, text, true).text).toBe(
      once(text, '    pullPolicy: IfNotPresent\n', `    pullPolicy: IfNotPresent\n    digest: ${digest}\n`),
    );
    expect(set('sidecar.image.tag', '1.0', text, true).text).toBe(
      `${text}sidecar:\n    image:\n        tag: "1.0"\n`,
    );
    expect(set('workers[0].image.digest', digest, text, true).text).toBe(
      once(text, 'tag: 1.9.0}', `tag: 1.9.0, digest: ${digest}}`),
    );
    expect(() => set('extra[0].tag', 'x', text, true)).toThrow('list items are never created');
  });

  it('fills an empty value and reports no change when the value is already there', () => {
    expect(setHelmValue('v.yaml', 'image:\n  tag:\n', ['image', 'tag'], 'v1').text).toBe(
      'image:\n  tag: v1\n',
    );
    expect(setHelmValue('v.yaml', 'image: {tag: }\n', ['image', 'tag'], '1.10').text).toBe(
      'image: {tag: "1.10" }\n',
    );
    const same = set('image.tag', '1.9.0');
    expect(same).toMatchObject({ changed: false, text });
    expect(setHelmValue('v.yaml', 'image:\n  tag: 1.10\n', ['image', 'tag'], '1.10').changed).toBe(false);
  });

  it('keeps CRLF and refuses aliases', () => {
    const crlf = text.replace(/\n/g, '\r\n');
    expect(set('image.tag', '2.0.0', crlf).text).toBe(once(crlf, 'tag: "1.9.0"', 'tag: "2.0.0"'));
    const aliased = 'base: &b\n  tag: v1\napp:\n  image: *b\n';
    expect(() => setHelmValue('v.yaml', aliased, ['app', 'image', 'tag'], 'v2')).toThrow(
      'goes through an alias',
    );
  });

  it('names file and line for malformed YAML', () => {
    expect(() =>
      setHelmValue('charts/x/values.yaml', 'image:\n  tag: "v1\n', ['image', 'tag'], 'v2'),
    ).toThrow(/^charts\/x\/values\.yaml:3:1: the file is not valid YAML/);
  });
});
