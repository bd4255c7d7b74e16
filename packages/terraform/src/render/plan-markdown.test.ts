import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realTool } from '../../../../test/real-tools.ts';
import { planChanges, type PlanChanges } from '../plan/plan-changes.ts';
import { applyModule, planModule, writeModule } from '../plan/real-tofu.fixture.ts';
import { planCommentMarker } from './comment-marker.ts';
import {
  COMMENT_BUDGET,
  GITHUB_COMMENT_LIMIT,
  SUMMARY_BUDGET,
  renderPlanMarkdown,
  type PlanMeta,
} from './plan-markdown.ts';

let root: string;
let big: PlanChanges;
const meta: PlanMeta = {
  toolLabel: 'OpenTofu',
  directory: 'infra/app',
  workspace: 'default',
  exitcode: 2,
  planDigest: 'a'.repeat(64),
  fullPlanUrl: 'https://github.com/o/r/actions/runs/1',
};

beforeAll(async () => {
  const tofu = realTool('tofu').path;
  root = mkdtempSync(join(tmpdir(), 'tf-render-'));
  // 200 resources exist; the change deletes 50, updates 150 with long values and creates 100
  const dir = writeModule(join(root, 'big'), {
    'main.tf': 'resource "terraform_data" "r" {\n  count = 200\n  input = "v1-${count.index}"\n}\n',
  });
  applyModule(tofu, dir);
  writeModule(dir, {
    'main.tf': [
      'locals { long = join("", [for i in range(60) : "abcdefghij"]) }',
      'resource "terraform_data" "r" {\n  count = 150\n  input = "v2-${count.index}-${local.long}"\n}',
      'resource "terraform_data" "n" {\n  count = 100\n  input = "new-${count.index}-${local.long}"\n}',
      '',
    ].join('\n'),
  });
  const run = await planModule(tofu, dir);
  big = planChanges(run.planJson);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('renderPlanMarkdown on a real 200-resource plan', () => {
  it('counts first, every delete listed, under GitHub’s limit, the cut part pointing at the full plan', () => {
    expect([big.add, big.change, big.destroy, big.replace]).toEqual([100, 150, 50, 0]);
    const marker = planCommentMarker(meta.directory, meta.workspace);
    const comment = renderPlanMarkdown(big, meta, COMMENT_BUDGET, marker);
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comment.split('\n')[0]).toBe(marker);
    expect(comment.indexOf('**Plan: 100 to add, 150 to change, 50 to destroy**')).toBeLessThan(
      comment.indexOf('terraform_data'),
    );
    for (let i = 150; i < 200; i += 1) expect(comment).toContain(`\n- terraform_data.r[${i}]\n`);
    // the destructive list comes before the collapsed details and is not inside them
    expect(comment.indexOf('- terraform_data.r[199]')).toBeLessThan(comment.indexOf('<details>'));
    expect(comment).toMatch(
      /\d+ more not shown here: see \[the job summary\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\)/,
    );
    // the summary has room for every change
    const summary = renderPlanMarkdown(big, meta, SUMMARY_BUDGET);
    expect(summary).not.toContain('more not shown');
    for (let i = 0; i < 150; i += 1) expect(summary).toContain(`~ terraform_data.r[${i}]\n`);
    for (let i = 0; i < 100; i += 1) expect(summary).toContain(`+ terraform_data.n[${i}]\n`);
  });

  it('a plan of only deletes larger than a comment still fits, naming how many are left out', () => {
    const many: PlanChanges = {
      ...big,
      resources: Array.from({ length: 3000 }, (_, i) => ({
        ...big.resources.find((r) => r.kind === 'delete')!,
        address: `terraform_data.r[${i}]`,
      })),
    };
    const comment = renderPlanMarkdown(many, meta, COMMENT_BUDGET, planCommentMarker('d', 'w'));
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comment).toMatch(/\*\*\d+ more destroyed or replaced resource\(s\) do not fit in a comment\*\*/);
  });

  it('text from the plan cannot leave its code block or close the marker', async () => {
    const tofu = realTool('tofu').path;
    const dir = writeModule(join(root, 'odd'), {
      'main.tf':
        'resource "terraform_data" "x" {\n  for_each = toset(["<!-- a -->", "````", "|pipe|"])\n  input = each.key\n}\n',
    });
    const changes = planChanges((await planModule(tofu, dir)).planJson);
    const comment = renderPlanMarkdown(
      changes,
      { ...meta, directory: 'x --> <b>' },
      COMMENT_BUDGET,
      planCommentMarker('x --> <b>', 'w'),
    );
    const marker = planCommentMarker('x --> <b>', 'w');
    expect(marker).toBe('<!-- slipway:tf-plan dir=x%20--%3E%20%3Cb%3E ws=w -->');
    // outside code fences there is no raw HTML from the plan or the directory name
    const outsideCode = comment
      .replace(/(`{3,})[^\n]*\n[\s\S]*?\n\1/g, '')
      .replace(/(`+) .*? \1|`[^`]*`/g, '');
    expect(outsideCode).not.toContain('<b>');
    expect(outsideCode.match(/<!--/g)).toHaveLength(1);
    // the longest backtick run inside is shorter than the fence around it
    expect(comment).toMatch(/`{5}diff\n/);
  });
});
