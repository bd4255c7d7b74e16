/**
 * `slipway bump`: the image-bump edit on a local checkout, without any network, with the
 * library functions of @slipway/gitops (the ones the image-bump action uses). Prints the unified
 * diff; `--write` writes the files.
 *
 *   slipway bump --file apps/web/overlays/dev/kustomization.yaml --image web=ghcr.io/acme/web:1.4.2
 *   slipway bump --file charts/api/values.yaml --path image.tag --value 1.4.2 [--create]
 *   slipway bump --changes changes.yaml [--dir ../ops] [--write]
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage, UserError } from '@slipway/core';
import {
  changeFrom,
  filesOf,
  parseChanges,
  planBump,
  resolveInCheckout,
  unifiedDiff,
  type BumpChange,
} from '@slipway/gitops';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from '../io.ts';
import type { Command } from '../registry.ts';

export const BUMP_USAGE = `Usage: slipway bump [options]

Edits kustomization.yaml image entries or Helm values in a local checkout, exactly as the
image-bump action would, and prints the unified diff. Nothing is committed; no network is used.

Options:
  --file PATH         file to edit, relative to --dir (repeat it to bump one image in several files)
  --image REF         kustomize: name[=newName][:newTag][@digest]; Helm: registry/repo[:tag][@digest]
  --key PATH          Helm: the values key holding repository/tag/digest (default: image)
  --path PATH         Helm: a dotted value path such as apps[2].image.tag (with --value)
  --value TEXT        Helm: the value to set at --path
  --create            add what does not exist yet: a kustomize images entry, or a Helm --path
                      (without it a missing entry or value is an error naming what exists)
  --changes FILE      a YAML list of changes, as the action's \`changes\` input
  --dir DIR           the checkout (default: the current directory)
  --write             write the edited files instead of only printing the diff
  -h, --help          show this help

Exit codes: 0 the edit was printed (or written, or nothing needed changing); 1 the edit cannot
be made (a missing entry, a file that is not YAML, ...); 2 a usage error (options, --dir, --changes).
`;

export const bumpCommand: Command = {
  name: 'bump',
  summary: 'edit kustomize image entries or Helm values locally and print the diff (--write to save)',
  run: (argv, io) => runBumpCommand(argv, io),
};

/** Runs `slipway bump`; returns the exit code (0 ok, 1 error, 2 usage). */
export async function runBumpCommand(argv: string[], io: CliIo): Promise<number> {
  let options;
  try {
    options = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        file: { type: 'string', multiple: true },
        image: { type: 'string' },
        key: { type: 'string' },
        path: { type: 'string' },
        value: { type: 'string' },
        create: { type: 'boolean', default: false },
        changes: { type: 'string' },
        dir: { type: 'string' },
        write: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    io.stderr(`slipway bump: ${errorMessage(error)}\n\n${BUMP_USAGE}`);
    return EXIT_USAGE;
  }
  if (options.help) {
    io.stdout(BUMP_USAGE);
    return EXIT_OK;
  }
  try {
    const root = await checkoutRoot(io.cwd, options.dir);
    const changes = await readChanges(options, io.cwd);
    const contents = new Map<string, string | undefined>();
    const absolute = new Map<string, string>();
    for (const path of filesOf(changes)) {
      const real = await resolveInCheckout(root, path);
      absolute.set(path, real);
      try {
        contents.set(path, await readFile(real, 'utf8'));
      } catch (error) {
        throw new UserError(`${path} cannot be read in ${root} (${errorCode(error)}).`);
      }
    }
    const plan = planBump(changes, contents, { createHint: 'pass --create' });
    for (const file of plan.files) io.stdout(unifiedDiff(file.path, file.before, file.after));
    for (const c of plan.changes) {
      io.stderr(`${c.file}:${c.line}: ${c.target} ${c.from ?? '(none)'} -> ${c.to ?? '(removed)'}\n`);
    }
    if (plan.files.length === 0) {
      io.stderr('No change needed: every value is already set.\n');
      return EXIT_OK;
    }
    if (options.write) {
      for (const file of plan.files) await writeFile(absolute.get(file.path)!, file.after);
      io.stderr(`Wrote ${plan.files.length} file(s).\n`);
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`slipway bump: ${error.message}\n\n${BUMP_USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof UserError) {
      io.stderr(`slipway bump: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`);
      return 1;
    }
    io.stderr(`slipway bump: unexpected error: ${errorMessage(error)}\n`);
    return 1;
  }
}

async function readChanges(
  options: {
    file?: string[];
    image?: string;
    key?: string;
    path?: string;
    value?: string;
    create: boolean;
    changes?: string;
  },
  cwd: string,
): Promise<BumpChange[]> {
  if (options.changes !== undefined) {
    if (options.file || options.image || options.path || options.value) {
      throw new UsageError('--changes cannot be combined with --file, --image, --path or --value');
    }
    let text: string;
    try {
      text = await readFile(resolve(cwd, options.changes), 'utf8');
    } catch (error) {
      throw new UsageError(`--changes ${options.changes} cannot be read (${errorCode(error)})`);
    }
    return parseChanges(text, '--changes');
  }
  const files = options.file ?? [];
  if (files.length === 0)
    throw new UsageError('give --file (with --image, or --path and --value) or --changes');
  if (options.image === undefined && options.path === undefined) {
    throw new UsageError('give --image, or --path and --value');
  }
  return files.map((file, index) =>
    changeFrom(
      {
        file,
        image: options.image,
        key: options.key,
        path: options.path,
        value: options.value,
        create: options.create ? 'true' : undefined,
      },
      {
        field: (name: string) =>
          name === 'file' && files.length > 1 ? `--file (the ${ordinal(index + 1)})` : `--${name}`,
      },
    ),
  );
}

/** The checkout folder (--dir, default the current directory); a usage error when it is not a folder. */
async function checkoutRoot(cwd: string, dir: string | undefined): Promise<string> {
  const root = resolve(cwd, dir ?? '.');
  let isFolder = false;
  try {
    isFolder = (await stat(root)).isDirectory();
  } catch (error) {
    throw new UsageError(
      `--dir ${dir ?? '.'} does not exist (${errorCode(error)}); give the checkout folder`,
    );
  }
  if (!isFolder) throw new UsageError(`--dir ${dir ?? '.'} is not a folder; give the checkout folder`);
  return root;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : errorMessage(error);
}

function ordinal(n: number): string {
  return n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}
