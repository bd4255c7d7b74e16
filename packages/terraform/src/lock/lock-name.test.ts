import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  encodeRefComponent,
  lockRef,
  normalizeDirectory,
  refUrlPath,
  validateWorkspace,
} from './lock-name.ts';

/** Real git's ref-name rules (`git check-ref-format`). */
function gitAcceptsRef(ref: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', ref], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('lock ref names', () => {
  it.each([
    'infra/prod/network',
    '.',
    '.hidden/x',
    'a..b',
    'mod.lock',
    'with space/ü',
    'x@{1}',
    'a:b*c?[d]~^',
  ])('encodes %j into a ref git accepts and that decodes back', (dir) => {
    const component = encodeRefComponent(dir);
    expect(component).not.toContain('/');
    expect(decodeURIComponent(component)).toBe(dir);
    expect(gitAcceptsRef(`refs/slipway-tf-locks/${component}/default`)).toBe(true);
  });

  it('the raw names would not have been valid refs (the encoding is needed)', () => {
    expect(gitAcceptsRef('refs/slipway-tf-locks/mod.lock/default')).toBe(false);
    expect(gitAcceptsRef('refs/slipway-tf-locks/a..b/default')).toBe(false);
  });

  it('directory and workspace cannot collide: infra + prod is not infra/prod + default', () => {
    expect(lockRef('infra', 'prod').ref).toBe('refs/slipway-tf-locks/infra/prod');
    expect(lockRef('infra/prod', 'default').ref).toBe('refs/slipway-tf-locks/infra%2Fprod/default');
    expect(lockRef('./infra//prod/', 'default')).toEqual(lockRef('infra/prod', 'default'));
  });

  it('URL path of a ref keeps its percent signs literal', () => {
    expect(refUrlPath('refs/slipway-tf-locks/infra%2Fprod/default')).toBe(
      'slipway-tf-locks/infra%252Fprod/default',
    );
  });

  it('refuses paths outside the repository and bad workspaces, naming them', () => {
    expect(() => normalizeDirectory('../other')).toThrow(/"\.\.\/other" leaves the repository/);
    expect(() => normalizeDirectory('/abs/path', 'dir')).toThrow(/dir "\/abs\/path" is absolute/);
    expect(normalizeDirectory('./')).toBe('.');
    expect(() => validateWorkspace('prod/eu')).toThrow(/"prod\/eu" is not a valid workspace name/);
    expect(() => validateWorkspace('')).toThrow(/not a valid workspace/);
    expect(validateWorkspace('prod-eu.1')).toBe('prod-eu.1');
  });
});
