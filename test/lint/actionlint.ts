/**
 * The real actionlint (the version pinned in scripts/real-tools.json, built by
 * scripts/real-tools.js), with shellcheck checking every `run:` script. The text is given on stdin
 * with `path` as its file name; problems come back from `-format '{{json .}}'` with their
 * file:line:column.
 */
import { spawn, spawnSync } from 'node:child_process';
import { realTool } from '../real-tools.ts';

export interface ActionlintError {
  message: string;
  filepath: string;
  line: number;
  column: number;
  kind: string;
}

let shellcheckChecked = false;

/** actionlint silently skips its shellcheck rule when shellcheck is missing: refuse that instead. */
function requireShellcheck(): void {
  if (shellcheckChecked) return;
  if (spawnSync('shellcheck', ['--version']).status !== 0) {
    throw new Error(
      'shellcheck is missing (actionlint runs it on every run: script): apt-get install -y shellcheck',
    );
  }
  shellcheckChecked = true;
}

export async function actionlint(text: string, path: string): Promise<ActionlintError[]> {
  requireShellcheck();
  const { path: binary } = realTool('actionlint');
  const args = [
    '-shellcheck',
    'shellcheck',
    '-pyflakes',
    '',
    '-format',
    '{{json .}}',
    '-stdin-filename',
    path,
    '-',
  ];
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ code: status, stdout: out, stderr: err }));
      child.stdin.end(text);
    },
  );
  // 0: no problem, 1: problems found; anything else is actionlint failing to run.
  if (code !== 0 && code !== 1) throw new Error(`actionlint exited ${code} on ${path}: ${stderr.trim()}`);
  const errors = JSON.parse(stdout) as ActionlintError[];
  return errors.map(({ message, filepath, line, column, kind }) => ({
    message,
    filepath,
    line,
    column,
    kind,
  }));
}
