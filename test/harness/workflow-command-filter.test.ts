import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { holdWorkflowCommands, splitWorkflowCommands } from './workflow-command-filter.ts';

/** A stream that records what reaches it. */
function recorder() {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, written };
}

describe('splitWorkflowCommands', () => {
  it('separates command lines (with and without properties) from other text, keeping line breaks', () => {
    const text =
      '::debug::Cache service version: v2\n' +
      'plain output\n' +
      '::warning file=a.yml,line=3,col=1::unpinned\r\n' +
      '  ::error::indented, so not a command\n' +
      '::add-mask::secret\n' +
      'a line that mentions ::warning:: in the middle\n' +
      '::error::no line break';
    expect(splitWorkflowCommands(text)).toEqual({
      commands: [
        '::debug::Cache service version: v2\n',
        '::warning file=a.yml,line=3,col=1::unpinned\r\n',
        '::add-mask::secret\n',
        '::error::no line break',
      ],
      rest: 'plain output\n  ::error::indented, so not a command\na line that mentions ::warning:: in the middle\n',
    });
  });

  it('does not take a line starting with two colons but no command for one', () => {
    expect(splitWorkflowCommands(':: not a command\n::\n')).toEqual({
      commands: [],
      rest: ':: not a command\n::\n',
    });
  });
});

describe('holdWorkflowCommands', () => {
  it('holds command lines, passes the rest through, and hands the held lines over once', async () => {
    const { stream, written } = recorder();
    const held = holdWorkflowCommands(stream);
    stream.write('::warning::Failed to save: cache service down\n');
    stream.write(Buffer.from('result: ok\n::debug::done\n'));
    await new Promise<void>((resolve) => stream.write('::notice::last\n', () => resolve()));
    expect(written).toEqual(['result: ok\n']);
    expect(held.take()).toEqual([
      '::warning::Failed to save: cache service down\n',
      '::debug::done\n',
      '::notice::last\n',
    ]);
    expect(held.take()).toEqual([]);
    held.restore();
  });

  it('forgets held lines on clear and writes everything again after restore', () => {
    const { stream, written } = recorder();
    const held = holdWorkflowCommands(stream);
    stream.write('::debug::before the test\n');
    held.clear();
    expect(held.take()).toEqual([]);
    held.restore();
    stream.write('::debug::after restore\n');
    expect(written).toEqual(['::debug::after restore\n']);
  });
});
