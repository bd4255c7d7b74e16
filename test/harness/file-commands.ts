/**
 * Parsers for what an action writes for the runner: the GITHUB_OUTPUT / GITHUB_ENV /
 * GITHUB_STATE files (`name=value` and `name<<DELIMITER` heredocs) and workflow
 * commands on stdout (`::error file=a,line=3::message`), with the runner's escapes.
 */

export function parseKeyValueFile(content: string, file: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    const eq = line.indexOf('=');
    if (heredoc && (eq === -1 || line.indexOf('<<') < eq)) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        body.push(lines[i] as string);
      }
      if (!closed)
        throw new Error(`${file}: heredoc for '${name}' is missing its closing delimiter '${delimiter}'`);
      result[name] = body.join('\n');
    } else if (eq > 0) {
      result[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(
        `${file}: line ${i + 1} is neither name=value nor name<<DELIMITER: ${JSON.stringify(line)}`,
      );
    }
  }
  return result;
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** Extracts workflow commands from stdout, honouring `::stop-commands::` / resume tokens. */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  let stopToken: string | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line.trimStart());
    if (!match) continue;
    const [, command, props, message] = match as unknown as [string, string, string | undefined, string];
    if (stopToken !== undefined) {
      if (command === stopToken) stopToken = undefined;
      continue;
    }
    if (command === 'stop-commands') {
      stopToken = message;
      continue;
    }
    const properties: Record<string, string> = {};
    for (const pair of (props ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
    }
    commands.push({ command, properties, message: unescapeData(message) });
  }
  return commands;
}

/** The values `::add-mask::` registered, in order. */
export function masksFrom(commands: readonly WorkflowCommand[]): string[] {
  return commands.filter((c) => c.command === 'add-mask').map((c) => c.message);
}

export function annotationsFrom(commands: readonly WorkflowCommand[]): Annotation[] {
  const toNumber = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return commands
    .filter((c): c is WorkflowCommand & { command: Annotation['level'] } =>
      ['error', 'warning', 'notice'].includes(c.command),
    )
    .map((c) => {
      const a: Annotation = { level: c.command, message: c.message };
      const p = c.properties;
      if (p.file !== undefined) a.file = p.file;
      if (p.title !== undefined) a.title = p.title;
      for (const [key, value] of [
        ['line', toNumber(p.line)],
        ['endLine', toNumber(p.endLine)],
        ['col', toNumber(p.col)],
        ['endColumn', toNumber(p.endColumn)],
      ] as const) {
        if (value !== undefined) a[key] = value;
      }
      return a;
    });
}
