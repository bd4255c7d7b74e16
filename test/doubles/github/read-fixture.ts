/**
 * Repositories shared by the read-side tests: lightweight and annotated tags, a feature
 * branch, releases, and a fork holding an impostor commit.
 */
import type { GitHubDouble } from './index.ts';

export interface ReadFixture {
  c1: string;
  c2: string;
  c3: string;
  annotatedV1: string;
  impostor: string;
}

export async function buildReadFixture(gh: GitHubDouble): Promise<ReadFixture> {
  const checkout = await gh.repos.create('actions/checkout');
  const c1 = await checkout.commit({
    files: { 'action.yml': 'name: one\n' },
    message: 'one',
    date: '2024-01-01T00:00:00Z',
  });
  const c2 = await checkout.commit({
    files: { 'action.yml': 'name: two\n' },
    message: 'two',
    date: '2024-02-01T00:00:00Z',
  });
  const annotatedV1 = await checkout.annotatedTag('v1.0.0', c1, {
    message: 'first release',
    date: '2024-01-02T00:00:00Z',
  });
  await checkout.tag('v1', c1);
  await checkout.tag('v2', c2);
  const c3 = await checkout.commit({
    branch: 'feature',
    files: { 'b.txt': 'b\n' },
    message: 'feature',
    date: '2024-03-01T00:00:00Z',
  });
  await checkout.release('v1.0.0', { createdAt: '2024-01-02T00:00:00Z' });
  await checkout.release('v2', { createdAt: '2024-02-02T00:00:00Z', prerelease: true });
  const fork = await checkout.fork('evil/checkout');
  const impostor = await fork.commit({
    files: { 'action.yml': 'name: evil\n' },
    message: 'evil',
    date: '2024-04-01T00:00:00Z',
  });
  return { c1, c2, c3, annotatedV1, impostor };
}
