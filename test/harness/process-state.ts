/** What a test file may change in its worker process and must leave as it found it. */
export interface ProcessState {
  /** The `process.env` object itself, and a copy of its variables. */
  envObject: NodeJS.ProcessEnv;
  env: Record<string, string | undefined>;
  cwd: string;
  exitCode: typeof process.exitCode;
}

export function snapshotProcessState(): ProcessState {
  return { envObject: process.env, env: { ...process.env }, cwd: process.cwd(), exitCode: process.exitCode };
}

/**
 * Puts `state` back: variables added since are deleted, changed or deleted ones get their old
 * value. The `process.env` object itself is kept (tests that assign a new object to it get the
 * original back), since libraries hold references to it.
 */
export function restoreProcessState(state: ProcessState, target: NodeJS.Process = process): void {
  if (target.env !== state.envObject) target.env = state.envObject;
  for (const name of Object.keys(target.env)) {
    if (!(name in state.env)) delete target.env[name];
  }
  for (const [name, value] of Object.entries(state.env)) {
    if (value === undefined) delete target.env[name];
    else if (target.env[name] !== value) target.env[name] = value;
  }
  if (target.cwd() !== state.cwd) target.chdir(state.cwd);
  target.exitCode = state.exitCode;
}
