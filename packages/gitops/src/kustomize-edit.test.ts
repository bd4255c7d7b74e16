import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import { parseSetImageSpec } from './image-reference.ts';
import { isKustomizationPath, setKustomizeImage } from './kustomize-edit.ts';

const repo = resolve(import.meta.dirname, '../../../test/fixtures/gitops/ops-repo');
const read = (path: string) => readFileSync(join(repo, path), 'utf8');
const DEV = 'apps/web/overlays/dev/kustomization.yaml';
const PROD = 'apps/web/overlays/prod/kustomization.yaml';
const STAGING = 'apps/api/overlays/staging/kustomization.yml';
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'ab'.repeat(32)}`;

const set = (file: string, text: string, spec: string) =>
  setKustomizeImage(file, text, parseSetImageSpec(spec));
/** `set` that may append a missing entry (`create`). */
const add = (file: string, text: string, spec: string) =>
  setKustomizeImage(file, text, parseSetImageSpec(spec), { create: true });

/** Replaces exactly one occurrence, failing when `from` is absent or ambiguous. */
function once(text: string, from: string, to: string): string {
  expect(text.split(from).length - 1, `'${from}' occurs once`).toBe(1);
  return text.replace(from, to);
}

describe('setKustomizeImage on real-world overlays', () => {
  it('changes only the tag scalar, keeping its quotes and the $imagepolicy comment', () => {
    const text = read(DEV);
    const result = set(DEV, text, 'web=ghcr.io/acme/web:9b8c7d6');
    expect(result.text).toBe(once(text, 'newTag: "3f2a9c1"', 'newTag: "9b8c7d6"'));
    expect(result.before).toEqual({ newName: 'ghcr.io/acme/web', newTag: '3f2a9c1' });
    expect(result.after).toEqual({ newName: 'ghcr.io/acme/web', newTag: '9b8c7d6' });
    expect(result.line).toBe(12);
  });

  it('adds a digest after the tag in the entry indentation', () => {
    const text = read(DEV);
    const result = set(DEV, text, `web=*:9b8c7d6@${D1}`);
    expect(result.text).toBe(
      once(
        text,
        '    newTag: "3f2a9c1" # {"$imagepolicy": "flux-system:web:tag"}\n',
        `    newTag: "9b8c7d6" # {"$imagepolicy": "flux-system:web:tag"}\n    digest: ${D1}\n`,
      ),
    );
  });

  it('replaces a digest-only entry and keeps the comment above it', () => {
    const text = read(DEV);
    const result = set(DEV, text, `prom/statsd-exporter@${D2}`);
    expect(result.text).toBe(
      once(text, 'sha256:0c7dd1d5e9a5b4f9f4f3e7a3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a098', D2),
    );
  });

  it('drops newName and the old digest when the spec omits them, as kustomize does', () => {
    const text = read(DEV);
    const result = set(DEV, text, 'web:1.0.0');
    expect(result.text).toBe(
      once(text, '    newName: ghcr.io/acme/web\n    newTag: "3f2a9c1"', '    newTag: "1.0.0"'),
    );
    expect(result.after).toEqual({ newTag: '1.0.0' });
  });

  it('edits flow-mapping entries in place, keeping single quotes and the trailing comment', () => {
    const text = read(PROD);
    const result = set(PROD, text, 'web=ghcr.io/acme/web:1.4.2');
    expect(result.text).toBe(once(text, "newTag: '1.4.1'}", "newTag: '1.4.2'}"));
    const withDigest = set(PROD, text, `web=ghcr.io/acme/web:1.4.2@${D1}`);
    expect(withDigest.text).toBe(once(text, "newTag: '1.4.1'}", `newTag: '1.4.2', digest: ${D1}}`));
  });

  it('removes a flow-mapping field with its separator', () => {
    const text = read(PROD);
    const result = set(PROD, text, 'web:1.4.1');
    expect(result.text).toBe(
      once(text, "{name: web, newName: ghcr.io/acme/web, newTag: '1.4.1'}", "{name: web, newTag: '1.4.1'}"),
    );
  });

  it('appends a missing entry in the style of the last one', () => {
    const prod = read(PROD);
    expect(add(PROD, prod, 'redis:7.4').text).toBe(
      once(
        prod,
        '  - {name: prom/statsd-exporter, newTag: v0.26.0}\n',
        `  - {name: prom/statsd-exporter, newTag: v0.26.0}\n  - {name: redis, newTag: '7.4'}\n`,
      ),
    );
    const staging = read(STAGING);
    expect(add(STAGING, staging, `redis=mirror.example.com/redis:7.4@${D1}`).text).toBe(
      `${staging}- name: redis\n  newName: mirror.example.com/redis\n  newTag: '7.4'\n  digest: ${D1}\n`,
    );
  });

  it('quotes a tag that YAML 1.1 would not read as a string, in the file quote style', () => {
    const staging = read(STAGING);
    for (const [tag, written] of [
      ['2025.01', "'2025.01'"],
      ['1.10', "'1.10'"],
      ['010', "'010'"],
      ['1e3', "'1e3'"],
      ['123', "'123'"],
      ['yes', "'yes'"],
      ['on', "'on'"],
      ['v2.0.1', "'v2.0.1'"],
    ]) {
      const result = set(STAGING, staging, `registry.example.com:5000/acme/api:${tag}`);
      expect(result.text).toBe(once(staging, "newTag: '2024.10'", `newTag: ${written}`));
    }
  });

  it('writes a plain tag plain when the existing one is plain, and quotes it only when it must', () => {
    const text = 'images:\n- name: app\n  newTag: v1\n';
    expect(set('k.yaml', text, 'app:v2').text).toBe('images:\n- name: app\n  newTag: v2\n');
    expect(set('k.yaml', text, 'app:1.10').text).toBe('images:\n- name: app\n  newTag: "1.10"\n');
    expect(set('k.yaml', text, 'app:true').text).toBe('images:\n- name: app\n  newTag: "true"\n');
  });

  it('keeps CRLF line endings, also on inserted lines', () => {
    const crlf = read(DEV).replace(/\n/g, '\r\n');
    const result = set(DEV, crlf, `web=*:9b8c7d6@${D1}`);
    expect(result.text).toBe(
      once(
        crlf,
        'newTag: "3f2a9c1" # {"$imagepolicy": "flux-system:web:tag"}\r\n',
        `newTag: "9b8c7d6" # {"$imagepolicy": "flux-system:web:tag"}\r\n    digest: ${D1}\r\n`,
      ),
    );
    expect(result.text.replace(/\r\n/g, '').includes('\n')).toBe(false);
  });

  it('adds an images list at the end when there is none, matching the sequence indentation', () => {
    expect(add('k.yaml', 'resources:\n  - a.yaml\n', 'web=ghcr.io/acme/web:v1').text).toBe(
      'resources:\n  - a.yaml\nimages:\n  - name: web\n    newName: ghcr.io/acme/web\n    newTag: v1\n',
    );
    expect(add('k.yaml', 'resources:\n- a.yaml', 'web:v1').text).toBe(
      'resources:\n- a.yaml\nimages:\n- name: web\n  newTag: v1',
    );
    expect(add('k.yaml', 'images: []\n', 'web:v1').text).toBe('images: [{name: web, newTag: v1}]\n');
    expect(add('k.yaml', 'images:\n# none yet\n', 'web:v1').text).toBe(
      'images:\n- name: web\n  newTag: v1\n# none yet\n',
    );
  });

  it('refuses a missing entry unless create is set, naming the file, the entries there and the option', () => {
    const prod = read(PROD);
    const error = (() => {
      try {
        set(PROD, prod, 'wbe:1.4.2');
      } catch (e) {
        return e as UserError;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect(error?.message).toBe(
      `${PROD} has no \`images\` entry named 'wbe' (it has 'web', 'prom/statsd-exporter').`,
    );
    expect(error?.hint).toBe(
      "Use the entry's exact name (the image name the manifests use), or set `create: true` to add a new entry.",
    );
    expect(() =>
      setKustomizeImage('k.yaml', 'resources: [a.yaml]\n', parseSetImageSpec('web:v1'), {
        createHint: 'pass --create',
      }),
    ).toThrow("k.yaml has no `images` entry named 'web' (it has no image entries).");
  });

  it('handles an entry whose first key is not name', () => {
    const text = 'images:\n  - newTag: v1 # old\n    name: app\n';
    expect(set('k.yaml', text, `app@${D1}`).text).toBe(`images:\n  - name: app\n    digest: ${D1}\n`);
  });

  it('matches names exactly, not as a pattern', () => {
    const text = 'images:\n- name: app.*\n  newTag: v1\n';
    expect(() => set('k.yaml', text, 'app:v2')).toThrow(
      "k.yaml has no `images` entry named 'app' (it has 'app.*').",
    );
    const result = add('k.yaml', text, 'app:v2');
    expect(result.before).toBeUndefined();
    expect(result.text).toBe(`${text}- name: app\n  newTag: v2\n`);
  });

  it('reports no change when the entry already has the values', () => {
    const text = read(DEV);
    const result = set(DEV, text, 'web=ghcr.io/acme/web:3f2a9c1');
    expect(result.changed).toBe(false);
    expect(result.text).toBe(text);
  });

  it('names file, line and column for malformed YAML', () => {
    const bad = 'images:\n  - name: web\n    newTag: [v1\n';
    expect(() => set('apps/x/kustomization.yaml', bad, 'web:v2')).toThrow(UserError);
    expect(() => set('apps/x/kustomization.yaml', bad, 'web:v2')).toThrow(
      /^apps\/x\/kustomization\.yaml:4:1: the file is not valid YAML/,
    );
    expect(() => set('k.yaml', 'images: {name: x}\n', 'web:v2')).toThrow(
      'k.yaml:1: `images` must be a list of entries.',
    );
    expect(() => set('k.yaml', '- a\n', 'web:v2')).toThrow('k.yaml is not a kustomization');
  });

  it('recognises kustomization file names', () => {
    expect(['a/kustomization.yaml', 'kustomization.yml', 'x/Kustomization'].map(isKustomizationPath)).toEqual(
      [true, true, true],
    );
    expect(
      ['a/values.yaml', 'a/my-kustomization.yaml', 'kustomization.json'].map(isKustomizationPath),
    ).toEqual([false, false, false]);
  });

  it('edits a Kustomization file with wide indentation and keeps a date-like tag quoted', () => {
    const file = 'apps/cache/overlays/prod/Kustomization';
    const text = read(file);
    expect(set(file, text, 'web:2024-07-01').text).toBe(
      once(text, 'newTag: "2024-06-01"', 'newTag: "2024-07-01"'),
    );
    expect(add(file, text, 'cache=ghcr.io/acme/cache:7.4').text).toBe(
      `${text}    -   name: cache\n        newName: ghcr.io/acme/cache\n        newTag: "7.4"\n`,
    );
  });

  it('every tricky tag, in every fixture and spec form, reads back exactly and touches only its lines', () => {
    const files = [DEV, PROD, STAGING, 'apps/cache/overlays/prod/Kustomization'];
    const tags = [
      '1.10',
      '010',
      '0x1F',
      '1e3',
      '123',
      'true',
      'no',
      'on',
      'Y',
      'null',
      '2024-06-01',
      '_x',
      'v1.0_rc-1',
      'a'.repeat(128),
    ];
    let cases = 0;
    for (const file of files) {
      for (const crlf of [false, true]) {
        const text = crlf ? read(file).replace(/\n/g, '\r\n') : read(file);
        for (const tag of tags) {
          for (const spec of [
            `web=*:${tag}`,
            `web:${tag}@${D1}`,
            `web=ghcr.io/acme/web:${tag}`,
            `fresh:${tag}`,
          ]) {
            const result = add(file, text, spec);
            const removed = text.split(/\r?\n/).filter((line) => !result.text.split(/\r?\n/).includes(line));
            // removed lines are only the entry's own lines (name line untouched)
            expect(
              removed.every((line) => /newName|newTag|digest/.test(line)),
              `${file} ${spec}`,
            ).toBe(true);
            expect(result.text.split('\r\n').length > 1).toBe(crlf);
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(files.length * 2 * tags.length * 4);
  });
});
