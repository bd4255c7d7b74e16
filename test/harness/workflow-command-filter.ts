/**
 * Holds back the workflow-command lines (`::warning::…`, `::debug::…`, `::add-mask::…`) written to
 * a stream and passes every other line through unchanged. Used by quiet-workflow-commands.ts so
 * that in-process calls into @actions/* libraries do not fill the test log.
 */
import type { Writable } from 'node:stream';

/** A workflow command as @actions/core writes it: `::name::message` or `::name key=value,…::message`. */
const WORKFLOW_COMMAND = /^::[A-Za-z][\w-]*(?: [^\r\n]*?)?::/;

/** Splits text into its workflow-command lines and the rest, each line keeping its line break. */
export function splitWorkflowCommands(text: string): { commands: string[]; rest: string } {
  const commands: string[] = [];
  let rest = '';
  for (const line of text.split(/(?<=\n)/)) {
    if (WORKFLOW_COMMAND.test(line)) commands.push(line);
    else rest += line;
  }
  return { commands, rest };
}

export interface HeldCommands {
  /** Forgets what was held so far. */
  clear(): void;
  /** What was held since the last clear or take, in order; empties the hold. */
  take(): string[];
  /** Puts the stream's own write back. */
  restore(): void;
}

type WriteCallback = (error?: Error | null) => void;

/** Replaces `stream.write` with one that holds workflow-command lines back. */
export function holdWorkflowCommands(stream: Writable): HeldCommands {
  const original = stream.write;
  let held: string[] = [];
  const write = function (
    this: Writable,
    chunk: unknown,
    encodingOrCallback?: BufferEncoding | WriteCallback,
    callback?: WriteCallback,
  ): boolean {
    const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    const text =
      typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString(encoding ?? 'utf8') : null;
    if (text === null) return original.call(this, chunk, encoding as BufferEncoding, done);
    const { commands, rest } = splitWorkflowCommands(text);
    if (commands.length === 0) return original.call(this, chunk, encoding as BufferEncoding, done);
    held.push(...commands);
    if (rest !== '') return original.call(this, rest, 'utf8', done);
    if (done) queueMicrotask(() => done(null));
    return true;
  };
  stream.write = write as Writable['write'];
  return {
    clear: () => {
      held = [];
    },
    take: () => {
      const lines = held;
      held = [];
      return lines;
    },
    restore: () => {
      stream.write = original;
    },
  };
}
