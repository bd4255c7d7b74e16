/** What a command may touch: its streams, working directory and environment. Tests pass recorders. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdout is a terminal (colours, human output). */
  isTty: boolean;
  /** The running entry module (the bundle), which can also serve as a worker thread. */
  entry?: URL;
}

export const processIo = (entry?: URL): CliIo => ({
  ...(entry ? { entry } : {}),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTty: process.stdout.isTTY === true,
});

/** A usage error: exit code 2 and a one-line message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** A lookup the check needs failed (pin-check online): the result is "could not verify". */
export const EXIT_UNVERIFIED = 3;
