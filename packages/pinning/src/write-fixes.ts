/**
 * Writes fixed files back, only as regular files inside the checked folder:
 * a workflow that is a symbolic link (or sits below a linked directory) may
 * point anywhere, such as a file outside the repository, and `fix` must not
 * rewrite it. Refused files stay as they are and are reported as skipped.
 */
import { closeSync, constants, lstatSync, openSync, realpathSync, writeSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { UserError } from '@slipway/core';
import type { FixPlan } from './fix-plan.ts';

/** Why `file` (relative to root) must not be written, or undefined when it may. */
export function whyNotWritable(root: string, file: string): string | undefined {
  const path = resolve(root, file);
  let real: string;
  try {
    if (lstatSync(path).isSymbolicLink())
      return `${file} is a symbolic link; pin-check does not write through links (fix the file it points to, or replace the link by the file)`;
    real = realpathSync(path);
  } catch (error) {
    return `${file} cannot be inspected (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const inside = relative(realpathSync(root), real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
    return `${file} resolves to ${real}, outside the checked folder ${root}; pin-check only writes files inside it`;
  return undefined;
}

/** Writes every fix that may be written; the others move to `plan.skipped`, one entry per reference. */
export function writeFixes(root: string, plan: FixPlan): void {
  const written = [];
  for (const fix of plan.fixes) {
    const why = whyNotWritable(root, fix.file);
    if (why) {
      for (const { site } of fix.replacements)
        plan.skipped.push({
          file: fix.file,
          line: site.line,
          column: site.column,
          reference: site.value ?? '',
          reason: `not written: ${why}`,
        });
      continue;
    }
    writeRegularFile(resolve(root, fix.file), fix.file, fix.bytes);
    written.push(fix);
  }
  plan.fixes = written;
}

function writeRegularFile(path: string, file: string, bytes: Buffer): void {
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: a link put in place after the check above is refused too (ELOOP).
    fd = openSync(path, constants.O_WRONLY | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0));
    writeSync(fd, bytes);
  } catch (error) {
    throw new UserError(`${file}: cannot write the fixed file`, { cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
