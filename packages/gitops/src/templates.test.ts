import { describe, expect, it } from 'vitest';
import { parseChanges } from './change-spec.ts';
import {
  checkTemplate,
  DEFAULT_BODY_TEMPLATE,
  DEFAULT_BRANCH_TEMPLATE,
  DEFAULT_COMMIT_TEMPLATE,
  INPUT_VARIABLES,
  inputVariables,
  markdownVariables,
  planVariables,
  PLAN_VARIABLES,
  renderTemplate,
  toBranchName,
} from './templates.ts';

const run = {
  sha: 'ffac537e6cbbf934b08745a378932722df287a53',
  runUrl: 'https://github.com/acme/web/actions/runs/42',
  sourceRepository: 'acme/web',
};
const D1 = `sha256:${'1'.repeat(64)}`;

describe('templates', () => {
  const changes = parseChanges(`- {file: a/kustomization.yaml, image: "web=ghcr.io/acme/web:1.4.2@${D1}"}
- {file: b/kustomization.yaml, image: "web=ghcr.io/acme/web:1.4.2@${D1}"}`);
  const vars = inputVariables(changes, run);

  it('derives the branch name from the image', () => {
    expect(vars).toMatchObject({ image: 'web', tag: '1.4.2', digest: D1 });
    expect(toBranchName(renderTemplate(DEFAULT_BRANCH_TEMPLATE, vars))).toBe('slipway/bump/web');
    expect(toBranchName('slipway/bump/ghcr.io/acme/web:1.0 ~^ x..y/.lock/')).toBe(
      'slipway/bump/ghcr.io/acme/web-1.0-x.y/lock',
    );
    expect(() => toBranchName('///')).toThrow("Input 'branch' renders to '///'");
  });

  it('renders commit message and body with old -> new and the run link', () => {
    const all = planVariables(vars, [
      {
        file: 'a/kustomization.yaml',
        line: 3,
        target: 'images[web].newTag',
        from: '1.4.1',
        to: '1.4.2',
        image: 'web',
      },
      {
        file: 'a/kustomization.yaml',
        line: 3,
        target: 'images[web].digest',
        from: undefined,
        to: D1,
        image: 'web',
      },
    ]);
    expect(renderTemplate(DEFAULT_COMMIT_TEMPLATE, all)).toBe(
      `Bump web to 1.4.2\n\n- a/kustomization.yaml: images[web].newTag 1.4.1 -> 1.4.2\n- a/kustomization.yaml: images[web].digest (none) -> ${D1}\n\nSource: https://github.com/acme/web/actions/runs/42`,
    );
    expect(renderTemplate(DEFAULT_BODY_TEMPLATE, all)).toContain(
      `| a/kustomization.yaml:3 | images[web].digest | (none) | \`${D1}\` |`,
    );
    expect(renderTemplate('{{summary}} from {{ sha }}', all)).toBe(`web to 1.4.2 from ${run.sha}`);
  });

  it('refuses unknown variables and plan variables in the branch', () => {
    expect(() => checkTemplate('branch', 'bump/{{ summary }}', INPUT_VARIABLES)).toThrow(
      "Input 'branch' uses the unknown variable {{ summary }}",
    );
    expect(() =>
      checkTemplate('pr-title', 'Bump {{ imgae }}', [...INPUT_VARIABLES, ...PLAN_VARIABLES]),
    ).toThrow('{{ imgae }}');
    expect(() =>
      checkTemplate('pr-title', 'Bump {{ image }} {{summary}}', [...INPUT_VARIABLES, ...PLAN_VARIABLES]),
    ).not.toThrow();
  });

  it('escapes outside text in the pull request body; the commit message keeps it, one line per change', () => {
    const moved = [
      {
        file: 'a/kustomization.yaml',
        line: 3,
        target: 'images[web].newTag',
        from: '1.4.1 <!-- hide the rest',
        to: '1.4.2\nCo-authored-by: Mallory <m@example.com>',
        image: 'web',
      },
    ];
    const hostileRun = inputVariables(changes, { ...run, sourceRepository: 'acme/<!--web' });
    const body = renderTemplate(
      'Source: {{ source_repository }}\n{{ summary }}\n{{ change_list }}\n\n{{ change_table }}',
      markdownVariables(hostileRun, moved),
    );
    expect(body.split('\n')).toEqual([
      'Source: acme/&lt;!--web',
      'web to 1.4.2 Co-authored-by: Mallory &lt;m@example.com&gt;',
      '- a/kustomization.yaml: images[web].newTag 1.4.1 &lt;!-- hide the rest -&gt; 1.4.2 Co-authored-by: Mallory &lt;m@example.com&gt;',
      '',
      '| file | value | old | new |',
      '| --- | --- | --- | --- |',
      '| a/kustomization.yaml:3 | images[web].newTag | `1.4.1 <!-- hide the rest` | `1.4.2 Co-authored-by: Mallory <m@example.com>` |',
    ]);
    const commit = renderTemplate(DEFAULT_COMMIT_TEMPLATE, planVariables(hostileRun, moved));
    expect(commit.split('\n')).toEqual([
      'Bump web to 1.4.2 Co-authored-by: Mallory <m@example.com>',
      '',
      '- a/kustomization.yaml: images[web].newTag 1.4.1 <!-- hide the rest -> 1.4.2 Co-authored-by: Mallory <m@example.com>',
      '',
      'Source: https://github.com/acme/web/actions/runs/42',
    ]);
  });
});
