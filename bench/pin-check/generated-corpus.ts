/**
 * The generated benchmark corpus: 2,000 workflow files (fixed seed) of 2-4
 * jobs with 3-8 steps each, mixing pinned and unpinned actions, containers and
 * services, in ROOT/.github/workflows/. Short and regular, unlike real
 * workflows (see ../shared/corpus for those).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom as prng } from '../../test/seeded-random.ts';

export const FILES = 2000;
export const REPOS = 40;
export const TAGS = ['v1', 'v1.0.0', 'v1.1.0', 'v2', 'v2.0.0'];

/** A workflow of 2-4 jobs with 3-8 steps each, mixing pinned and unpinned actions, containers and services. */
export function workflow(random: () => number, n: number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const lines = [
    `name: wf-${n}`,
    'on:',
    '  push:',
    '    branches: [main]',
    'permissions:',
    '  contents: read',
    'jobs:',
  ];
  const jobs = 2 + Math.floor(random() * 3);
  for (let j = 0; j < jobs; j++) {
    lines.push(`  job${j}:`, '    runs-on: ubuntu-24.04');
    if (random() < 0.3) lines.push(`    container: node:${20 + Math.floor(random() * 5)}`);
    if (random() < 0.2)
      lines.push('    services:', '      db:', `        image: postgres:${14 + Math.floor(random() * 3)}`);
    lines.push('    steps:');
    const steps = 3 + Math.floor(random() * 6);
    for (let s = 0; s < steps; s++) {
      const repo = `org${Math.floor(random() * REPOS)}/action${Math.floor(random() * 3)}`;
      const ref = random() < 0.5 ? `${'0123456789abcdef'.repeat(3).slice(0, 40)}` : pick(TAGS);
      lines.push(
        `      - name: step ${s}`,
        `        uses: ${repo}@${ref}${ref.length === 40 ? ' # v1.0.0' : ''}`,
      );
      if (random() < 0.5) lines.push('        with:', `          value: "${Math.floor(random() * 1000)}"`);
      if (random() < 0.3) lines.push('      - run: echo "building"', '        shell: bash');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the FILES generated workflows under root/.github/workflows. */
export function writeGeneratedCorpus(root: string): void {
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  const random = prng(42);
  for (let n = 0; n < FILES; n++)
    writeFileSync(
      join(root, '.github', 'workflows', `wf-${String(n).padStart(4, '0')}.yml`),
      workflow(random, n),
    );
}
