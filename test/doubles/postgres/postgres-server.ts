/**
 * A real PostgreSQL (Debian's postgresql package: initdb + postgres) in a temp folder, listening
 * on 127.0.0.1 on a free port with `trust` auth, for OpenTofu's `pg` state backend. PostgreSQL
 * refuses to run as root: as root (CI here) initdb and postgres run as the `postgres` system user
 * the Debian package creates (or `nobody`), and the folders they need are handed to that user.
 *
 * Binaries: `initdb`/`postgres` on PATH, else the newest /usr/lib/postgresql/<major>/bin
 * (Debian and Ubuntu keep them off PATH). scripts/system-deps.js lists the package, so `npm test`
 * installs it when it is missing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { freePort } from '../oci-registry/registry-server.ts';

export interface PostgresServer {
  port: number;
  /** Superuser role (trust auth, no password). */
  user: string;
  /** libpq URL of the `postgres` database, as the pg backend's `conn_str` takes it. */
  connString: string;
  /** PostgreSQL's major version, from the binary's real folder (/usr/lib/postgresql/<major>/bin). */
  version: string;
  stop(): Promise<void>;
}

/** The folder holding initdb and postgres, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const hasBoth = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (hasBoth(dir)) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return majors.map((v) => join(root, v, 'bin')).find(hasBoth);
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** Root cannot run PostgreSQL: the unprivileged account to run it as (undefined when not root). */
function unprivilegedUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      if (uid > 0) return { uid, gid, name };
    } catch {
      // no such user
    }
  }
  throw new Error('running as root and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

/**
 * The unprivileged user must reach the folder: search (x) permission is added to the folders
 * between it and the temp root (the per-run folder is 0700); above the temp root nothing is
 * changed, and a folder there that the user cannot pass is an error naming it.
 */
function makeTraversable(dir: string, root: string): void {
  let current = dirname(dir);
  const inside = (path: string) => path === root || path.startsWith(`${root}/`);
  for (; inside(current) && current !== dirname(current); current = dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) chmodSync(current, (mode & 0o7777) | 0o001);
  }
  for (; current !== dirname(current); current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0)
      throw new Error(
        `${current} is not searchable by other users; point TMPDIR at a folder PostgreSQL's user can reach`,
      );
  }
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql (npm test installs it)');
  const runAs = unprivilegedUser();
  const root = realpathSync(tmpdir());
  const dir = mkdtempSync(join(root, 'pg-'));
  const data = join(dir, 'data');
  const sockets = join(dir, 'sock');
  mkdirSync(sockets);
  if (runAs) {
    makeTraversable(dir, root);
    chownSync(dir, runAs.uid, runAs.gid);
    chownSync(sockets, runAs.uid, runAs.gid);
  }
  const user = 'postgres';
  const asUser = runAs ? { uid: runAs.uid, gid: runAs.gid, env: { ...process.env, HOME: dir } } : {};
  try {
    execFileSync(
      join(bin, 'initdb'),
      ['-D', data, '-U', user, '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C'],
      { stdio: 'pipe', ...asUser },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const e = error as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${e.stderr?.toString() || e.message}`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-k',
      sockets,
      // a throwaway cluster: no durability work
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], ...asUser },
  );
  let stderr = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`postgres did not start within 60 s:\n${stderr}`)),
        60_000,
      );
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('database system is ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`postgres exited (${code}) before it was ready:\n${stderr}`));
      });
    });
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();
  return {
    port,
    user,
    connString: `postgres://${user}@127.0.0.1:${port}/postgres?sslmode=disable`,
    version: realpathSync(join(bin, 'postgres')).match(/postgresql\/(\d+)/)?.[1] ?? 'unknown',
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // SIGINT: PostgreSQL's fast shutdown
        child.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
