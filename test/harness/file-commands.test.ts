import { describe, expect, it } from 'vitest';
import { annotationsFrom, parseKeyValueFile, parseWorkflowCommands } from './file-commands.ts';

describe('parseKeyValueFile', () => {
  it('reads name=value and heredoc entries', () => {
    const content = 'a=1\nb<<ghadelimiter_x\nline 1\nline=2\nghadelimiter_x\nc=x=y\n';
    expect(parseKeyValueFile(content, 'F')).toEqual({ a: '1', b: 'line 1\nline=2', c: 'x=y' });
  });
  it('fails on an unterminated heredoc', () => {
    expect(() => parseKeyValueFile('b<<EOF\nx\n', 'GITHUB_OUTPUT')).toThrow(
      "GITHUB_OUTPUT: heredoc for 'b' is missing its closing delimiter 'EOF'",
    );
  });
  it('fails on a line that is neither form', () => {
    expect(() => parseKeyValueFile('novalue\n', 'GITHUB_ENV')).toThrow(/line 1 is neither/);
  });
});

describe('parseWorkflowCommands', () => {
  it('unescapes data and properties', () => {
    const [c] = parseWorkflowCommands('::error file=a%2Cb.yml,line=4,title=x%3Ay::50%25 done%0Anext');
    expect(c).toEqual({
      command: 'error',
      properties: { file: 'a,b.yml', line: '4', title: 'x:y' },
      message: '50% done\nnext',
    });
  });
  it('ignores commands between stop-commands and its token', () => {
    const out = ['::stop-commands::tok', '::error::not a command', '::tok::', '::warning::real'].join('\n');
    expect(parseWorkflowCommands(out).map((c) => c.command)).toEqual(['warning']);
  });
  it('turns error/warning/notice into annotations with numeric positions', () => {
    const commands = parseWorkflowCommands(
      '::notice file=f,line=1,endLine=2,col=3,endColumn=9::n\n::debug::d',
    );
    expect(annotationsFrom(commands)).toEqual([
      { level: 'notice', message: 'n', file: 'f', line: 1, endLine: 2, col: 3, endColumn: 9 },
    ]);
  });
});
