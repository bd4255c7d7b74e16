import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { locatorFor, readHelmImage, readerFor, restoreChanges } from './image-locator.ts';
import { findRollbackTarget, type FileAtCommit } from './rollback-target.ts';

const VALUES = 'charts/web/values-production.yaml';
const d = (c: string) => `sha256:${c.repeat(64)}`;
const values = (tag: string, digest: string) =>
  `replicaCount: 2\nimage:\n  repository: ghcr.io/acme/web # the app\n  tag: "${tag}"\n  digest: ${digest}\n  pullPolicy: IfNotPresent\n`;

describe('readHelmImage', () => {
  it('reads repository, tag and digest under the key as written; an empty value is absent', () => {
    expect(readHelmImage(VALUES, values('1.10', d('a')), ['image'])).toEqual({
      newName: 'ghcr.io/acme/web',
      newTag: '1.10',
      digest: d('a'),
    });
    // a plain 1.10 stays the text 1.10 (not the number 1.1)
    expect(
      readHelmImage(VALUES, 'image:\n  repository: web\n  tag: 1.10\n  digest: ""\n', ['image']),
    ).toEqual({
      newName: 'web',
      newTag: '1.10',
    });
    const nested =
      'api:\n  image:\n    registry: docker.io\n    repository: bitnami/nginx\n    tag: 1.27.0\n';
    expect(readHelmImage(VALUES, nested, ['api', 'image'])).toEqual({
      newName: 'docker.io/bitnami/nginx',
      newTag: '1.27.0',
    });
    expect(readHelmImage(VALUES, nested, ['image'])).toBeUndefined();
    expect(readHelmImage(VALUES, 'image: web:1\n', ['image'])).toBeUndefined();
    expect(readHelmImage(VALUES, 'image:\n  pullPolicy: Always\n', ['image'])).toBeUndefined();
  });
});

describe('locatorFor', () => {
  it('reads kustomizations by entry name (by file name or content) and anything else as Helm values', () => {
    expect(locatorFor('a/kustomization.yaml', 'images: []\n', { image: 'web', key: ['image'] })).toEqual({
      kind: 'kustomize',
      image: 'web',
    });
    expect(
      locatorFor('a/overlay.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n', {
        image: 'web',
        key: ['image'],
      }),
    ).toMatchObject({ kind: 'kustomize' });
    expect(locatorFor(VALUES, values('v1', d('a')), { image: 'web', key: ['image'] })).toEqual({
      kind: 'helm',
      key: ['image'],
    });
    expect(() => locatorFor('a/overlay.yaml', 'kind: Kustomization\n', { key: ['image'] })).toThrow(
      "Input 'image' is required: a/overlay.yaml is a kustomization",
    );
  });
});

describe('rollback in a Helm values file', () => {
  const at = (commit: string, text: string | undefined): FileAtCommit => ({
    commit: commit.repeat(40),
    text,
  });
  const locator = { kind: 'helm' as const, key: ['image'] };
  const read = readerFor(locator);

  it('finds the digest before the failed one, passing over commits that changed other values', () => {
    const history = [
      at('d', values('v3', d('c')).replace('replicaCount: 2', 'replicaCount: 3')),
      at('c', values('v3', d('c'))),
      at('b', values('v2', d('b'))),
      at('a', values('v1', d('a'))),
    ];
    const target = findRollbackTarget({ file: VALUES, image: 'image', read, history, failed: d('c') });
    expect(target).toEqual({
      commit: 'b'.repeat(40),
      fields: { newName: 'ghcr.io/acme/web', newTag: 'v2', digest: d('b') },
      skipped: 2,
    });
    const changes = restoreChanges(VALUES, locator, read(VALUES, history[0]!.text!), target.fields);
    expect(parse(changes, { schema: 'failsafe' })).toEqual([
      { file: VALUES, image: `ghcr.io/acme/web:v2@${d('b')}`, key: 'image' },
    ]);
  });

  it('clears a digest the target did not have (image-bump only sets keys), and names the key when the head moved on', () => {
    const tagOnly = 'image:\n  repository: ghcr.io/acme/web\n  tag: v1\n';
    const history = [at('b', values('v2', d('b'))), at('a', tagOnly)];
    const target = findRollbackTarget({ file: VALUES, image: 'image', read, history, failed: d('b') });
    expect(target.fields).toEqual({ newName: 'ghcr.io/acme/web', newTag: 'v1' });
    expect(
      parse(restoreChanges(VALUES, locator, read(VALUES, history[0]!.text!), target.fields), {
        schema: 'failsafe',
      }),
    ).toEqual([
      { file: VALUES, image: 'ghcr.io/acme/web:v1', key: 'image' },
      { file: VALUES, path: 'image.digest', value: '' },
    ]);
    expect(() => findRollbackTarget({ file: VALUES, image: 'image', read, history, failed: d('c') })).toThrow(
      `${VALUES} at bbbbbbbbbbbb has image at ${d('b')}, not the failed ${d('c')}`,
    );
  });

  it('restores a kustomize entry whole, and refuses a Helm image with no repository to name', () => {
    expect(
      parse(
        restoreChanges('k/kustomization.yaml', { kind: 'kustomize', image: 'web' }, undefined, {
          digest: d('a'),
        }),
        {
          schema: 'failsafe',
        },
      ),
    ).toEqual([{ file: 'k/kustomization.yaml', image: `web@${d('a')}` }]);
    expect(() =>
      restoreChanges(VALUES, { kind: 'helm', key: ['api', 'image'] }, { digest: d('b') }, { digest: d('a') }),
    ).toThrow(`${VALUES}: \`api.image.repository\` is not set`);
  });
});
