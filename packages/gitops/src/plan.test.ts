import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChanges } from './change-spec.ts';
import { filesOf, planBump } from './plan.ts';

const repo = resolve(import.meta.dirname, '../../../test/fixtures/gitops/ops-repo');
const DEV = 'apps/web/overlays/dev/kustomization.yaml';
const PROD = 'apps/web/overlays/prod/kustomization.yaml';
const VALUES = 'charts/api/values.yaml';
const contents = new Map([DEV, PROD, VALUES].map((p) => [p, readFileSync(join(repo, p), 'utf8')]));
const D1 = `sha256:${'1'.repeat(64)}`;

describe('parseChanges', () => {
  it('reads every form, keeping values as strings', () => {
    expect(
      parseChanges(`- file: ./${DEV}
  image: web=ghcr.io/acme/web:1.10
- file: ${VALUES}
  image: ghcr.io/acme/api:2.0@${D1}
  key: workers[1].image
- file: ${VALUES}
  path: image.tag
  value: 1.10
  create: true
`),
    ).toEqual([
      {
        kind: 'kustomize',
        file: DEV,
        image: { name: 'web', newName: 'ghcr.io/acme/web', newTag: '1.10' },
        create: false,
      },
      {
        // a file not named kustomization.yaml: its content decides when it is read (see planBump)
        kind: 'image',
        file: VALUES,
        helm: { image: { name: 'ghcr.io/acme/api', tag: '2.0', digest: D1 }, key: ['workers', 1, 'image'] },
        kustomize: expect.objectContaining({
          message: `Input 'changes', item 2, \`key\`: only applies to Helm values files, and ${VALUES} is a kustomization; remove it.`,
        }),
        create: false,
      },
      { kind: 'helm-value', file: VALUES, path: ['image', 'tag'], value: '1.10', create: true },
    ]);
  });

  it.each([
    ['file: x', "Input 'changes' is not a non-empty YAML list"],
    [
      '- {image: web:v1}',
      "Input 'changes', item 1, `file`: is missing; give the path of the file to edit, relative to the repository root.",
    ],
    [
      '- {file: a/kustomization.yaml, image: web:v1, tag: x}',
      "Input 'changes', item 1: has the unknown key `tag`; use only file, image, key, path, value, create.",
    ],
    [
      '- {file: ../kustomization.yaml, image: web:v1}',
      "Input 'changes', item 1, `file`: '../kustomization.yaml' contains `..`",
    ],
    ['- {file: values.yaml, image: "web=x:"}', "Input 'changes', item 1, `image`: 'web=x:' is not valid"],
    [
      '- {file: values.yaml, path: image.tag}',
      "Input 'changes', item 1, `value`: is missing; `path` needs the `value` to set there.",
    ],
    [
      '- {file: kustomization.yaml, path: a, value: b}',
      "Input 'changes', item 1, `path`: cannot set a value in the kustomization kustomization.yaml; use `image` instead.",
    ],
    [
      '- {file: values.yaml, path: a, value: b, create: maybe}',
      "Input 'changes', item 1, `create`: is `maybe`; use true or false.",
    ],
    [
      '- {file: values.yaml, image: web:v1, path: a}',
      "Input 'changes', item 1, `path`: cannot be used together with `image`; give either `image`, or `path` and `value`.",
    ],
    [
      '- {file: values.yaml, path: a, value: [1]}',
      "Input 'changes', item 1, `value`: is not a single value; give one string.",
    ],
    [
      '- {file: values.yaml, image: "ghcr.io/a/b"}',
      "Input 'changes', item 1, `image`: 'ghcr.io/a/b' has neither a tag nor a digest",
    ],
    ['- x', "Input 'changes', item 1: is not a mapping; write it as `- file: …`"],
    [
      '- {file: values.yaml, path: a, value: "x\\ny"}',
      "Input 'changes', item 1, `value`: contains a line break; give a single-line value.",
    ],
    ['- [a', "Input 'changes' is not valid YAML"],
  ])('rejects %j', (text, message) => {
    expect(() => parseChanges(text)).toThrow(message);
  });
});

describe('planBump: the content decides what a file is when its name does not', () => {
  const OVERLAY = 'apps/web/overlays/dev/overlay.yaml';
  const kustomization = (apiVersion: string) =>
    `apiVersion: ${apiVersion}\nkind: Kustomization\nimages:\n  - name: web\n    newTag: v1 # keep\n`;

  it('edits a file with kind: Kustomization as a kustomization, whatever its name', () => {
    const changes = parseChanges(`- {file: ${OVERLAY}, image: "web=ghcr.io/acme/web:v2"}`);
    const text = kustomization('kustomize.config.k8s.io/v1beta1');
    const plan = planBump(changes, new Map([[OVERLAY, text]]));
    expect(plan.files[0]!.after).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: web\n    newName: ghcr.io/acme/web\n    newTag: v2 # keep\n',
    );
    expect(plan.changes.map((c) => c.target)).toEqual(['images[web].newName', 'images[web].newTag']);
  });

  it('a Flux Kustomization (another API group) and plain values are Helm values', () => {
    const changes = parseChanges(`- {file: ${OVERLAY}, image: "web=ghcr.io/acme/web:v2"}`);
    for (const text of [kustomization('kustomize.toolkit.fluxcd.io/v1'), 'image:\n  tag: v1\n']) {
      expect(() => planBump(changes, new Map([[OVERLAY, text]]))).toThrow(
        `Input 'changes', item 1, \`image\`: uses the kustomize \`name=newName\` form, but ${OVERLAY} is a Helm values file; give the image reference, e.g. \`ghcr.io/acme/api:1.4.2\`.`,
      );
    }
    const helm = parseChanges(`- {file: ${OVERLAY}, image: "ghcr.io/acme/web:v2"}`);
    const plan = planBump(helm, new Map([[OVERLAY, 'image:\n  repository: ghcr.io/acme/web\n  tag: v1\n']]));
    expect(plan.changes.map((c) => [c.target, c.to])).toEqual([['image.tag', 'v2']]);
  });

  it('refuses a value path in a kustomization found by content', () => {
    const changes = parseChanges(`- {file: ${OVERLAY}, path: "images[0].newTag", value: v2}`);
    expect(() =>
      planBump(changes, new Map([[OVERLAY, kustomization('kustomize.config.k8s.io/v1beta1')]])),
    ).toThrow(`${OVERLAY} is a kustomization (kind: Kustomization), so a value path cannot be set in it.`);
  });
});

describe('planBump', () => {
  it('one image in dev and prod: both files, one record per moved field', () => {
    const changes = parseChanges(`- {file: ${DEV}, image: "web=ghcr.io/acme/web:9b8c7d6"}
- {file: ${PROD}, image: "web=ghcr.io/acme/web:9b8c7d6"}`);
    const plan = planBump(changes, contents);
    expect(plan.files.map((f) => f.path)).toEqual([DEV, PROD]);
    expect(plan.changes).toEqual([
      { file: DEV, line: 12, target: 'images[web].newTag', from: '3f2a9c1', to: '9b8c7d6', image: 'web' },
      { file: PROD, line: 6, target: 'images[web].newTag', from: '1.4.1', to: '9b8c7d6', image: 'web' },
    ]);
  });

  it('several changes to one file are applied in order on the evolving text', () => {
    const changes = parseChanges(`- {file: ${VALUES}, image: "ghcr.io/acme/api:2.0.0"}
- {file: ${VALUES}, image: "registry.example.com/acme/indexer:2.0.0@${D1}", key: "workers[1].image"}
- {file: ${VALUES}, path: "workers[0].image.tag", value: "2.0.0"}`);
    const plan = planBump(changes, contents);
    const before = contents.get(VALUES)!;
    expect(plan.files).toEqual([
      {
        path: VALUES,
        before,
        after: before
          .replace('repository: registry.example.com/acme/api', 'repository: ghcr.io/acme/api')
          .replace('tag: "1.9.0"', 'tag: "2.0.0"')
          .replace("tag: '1.9.0'   #", "tag: '2.0.0'   #")
          .replace('digest: ""', `digest: "${D1}"`)
          .replace('acme/mailer, tag: 1.9.0}', 'acme/mailer, tag: 2.0.0}'),
      },
    ]);
    expect(plan.changes.map((c) => `${c.target} ${c.from} -> ${c.to} @${c.line}`)).toEqual([
      'image.repository registry.example.com/acme/api -> ghcr.io/acme/api @7',
      'image.tag 1.9.0 -> 2.0.0 @9',
      'workers[1].image.tag 1.9.0 -> 2.0.0 @22',
      'workers[1].image.digest  -> sha256:1111111111111111111111111111111111111111111111111111111111111111 @23',
      'workers[0].image.tag 1.9.0 -> 2.0.0 @18',
    ]);
    expect(filesOf(changes)).toEqual([VALUES]);
  });

  it('skips a missing repository key but not a missing tag', () => {
    const text = 'image:\n  tag: v1\n';
    const plan = planBump(
      parseChanges('- {file: v.yaml, image: "ghcr.io/a/b:v2"}'),
      new Map([['v.yaml', text]]),
    );
    expect(plan.files[0]?.after).toBe('image:\n  tag: v2\n');
    expect(() =>
      planBump(
        parseChanges('- {file: v.yaml, image: "ghcr.io/a/b@' + D1 + '"}'),
        new Map([['v.yaml', text]]),
      ),
    ).toThrow('v.yaml: `image.digest` does not exist (no `image.digest`).');
  });

  it('plans nothing when every value is already there, and refuses missing files', () => {
    const same = parseChanges(`- {file: ${DEV}, image: "web=ghcr.io/acme/web:3f2a9c1"}`);
    expect(planBump(same, contents)).toEqual({ files: [], changes: [] });
    expect(() =>
      planBump(parseChanges('- {file: nope/kustomization.yaml, image: "web:v1"}'), contents),
    ).toThrow('nope/kustomization.yaml does not exist in the repository.');
  });

  it('puts the registry in a separate registry key (Bitnami layout) and the digest in its empty string', () => {
    const file = 'charts/cache/values-prod.yaml';
    const text = readFileSync(join(repo, file), 'utf8');
    const plan = planBump(
      parseChanges(`- {file: ${file}, image: "ghcr.io/acme/cache:7.4.3@${D1}"}`),
      new Map([[file, text]]),
    );
    expect(plan.files[0]?.after).toBe(
      text
        .replace('  registry: docker.io\n', '  registry: ghcr.io\n')
        .replace('tag: 7.4.2-debian-12-r0', 'tag: 7.4.3')
        .replace('digest: ""', `digest: "${D1}"`),
    );
    expect(plan.changes.map((c) => c.target)).toEqual(['image.registry', 'image.tag', 'image.digest']);
    const hub = planBump(
      parseChanges(`- {file: ${file}, image: "acme/cache:7.4.3"}`),
      new Map([[file, text]]),
    );
    expect(hub.changes.map((c) => `${c.target}=${c.to}`)).toEqual(['image.tag=7.4.3']);
  });
});
