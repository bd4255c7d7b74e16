import { InputError, InputReader, maskSecret } from '@slipway/core';
import { parseReleaseAge, parseSeverityFlag, type Policy } from '@slipway/pinning';

export interface Inputs {
  path: string;
  policy?: string;
  extraPolicy: Policy;
  online: boolean;
  fix: boolean;
  update: boolean;
  major: boolean;
  /** Milliseconds; undefined: the policy's, else none. */
  'min-release-age'?: number;
  token?: string;
  'sarif-file'?: string;
  'fail-on-findings': boolean;
  cache: boolean;
  /** Milliseconds. */
  'cache-ttl': number;
}

/** Reads and validates every input; nothing here touches the network or the disk. */
export function getInputs(reader = new InputReader()): Inputs {
  const token = reader.string('token');
  if (token) maskSecret(token);
  const severity: Policy['severity'] = {};
  for (const item of reader.list('severity')) {
    try {
      const [rule, level] = parseSeverityFlag(item, `has the item '${item}'`);
      severity[rule] = level;
    } catch (error) {
      throw new InputError('severity', (error as Error).message, '`rule=level` lines');
    }
  }
  const inputs: Inputs = {
    path: reader.string('path') ?? '.',
    extraPolicy: { allow: reader.list('allow'), ignore: reader.list('ignore'), severity },
    online: reader.boolean('online', false),
    fix: reader.boolean('fix', false),
    update: reader.boolean('update', false),
    major: reader.boolean('major', false),
    'fail-on-findings': reader.boolean('fail-on-findings', true),
    cache: reader.boolean('cache', true),
    'cache-ttl': reader.duration('cache-ttl', {
      default: 86_400_000,
      minMs: 0,
      maxMs: 30 * 86_400_000,
    }) as number,
  };
  const minAgeText = reader.string('min-release-age');
  const minAge = minAgeText === undefined ? undefined : parseReleaseAge(minAgeText);
  if (minAgeText !== undefined && minAge === undefined)
    throw new InputError(
      'min-release-age',
      `has the value '${minAgeText}'`,
      'a duration with a unit such as `7d` or `72h`',
    );
  if (minAge !== undefined) inputs['min-release-age'] = minAge;
  const policy = reader.string('policy');
  if (policy) inputs.policy = policy;
  const sarif = reader.string('sarif-file');
  if (sarif) inputs['sarif-file'] = sarif;
  if (token) inputs.token = token;
  if (inputs.major && !inputs.update)
    throw new InputError('major', 'is true but update is not', '`major` only with `update: true`');
  if (minAge !== undefined && !inputs.update)
    throw new InputError(
      'min-release-age',
      'is set but update is not',
      '`min-release-age` only with `update: true`',
    );
  if ((inputs.online || inputs.fix || inputs.update) && !token)
    throw new InputError(
      'token',
      'is empty but online or fix mode needs it',
      'a token with read access (default: github.token)',
    );
  return inputs;
}
