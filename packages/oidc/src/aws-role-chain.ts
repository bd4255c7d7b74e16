import { InputError } from '@slipway/core';

/** One hop after the web-identity role: `AssumeRole` signed with the previous hop's credentials. */
export interface ChainedRole {
  roleArn: string;
  externalId?: string;
  tags: { key: string; value: string }[];
}

const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+@-]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+@-]{0,256}$/u;
const MAX_TAGS = 50;
const FORM =
  'one role per line: `<role ARN> [external-id=<id>] [tag:<Key>=<Value> ...]`, e.g. `arn:aws:iam::111122223333:role/deploy external-id=abc tag:team=web`';

/** Parses the `role-chain` input. Blank lines and `#` comments are ignored. */
export function parseRoleChain(text: string | undefined): ChainedRole[] {
  if (!text) return [];
  const chain: ChainedRole[] = [];
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [roleArn, ...options] = line.split(/\s+/) as [string, ...string[]];
    const hop: ChainedRole = { roleArn, tags: [] };
    for (const option of options) {
      const where = `has '${option}' on line ${index + 1}`;
      if (option.startsWith('external-id=')) {
        const id = option.slice('external-id='.length);
        if (!EXTERNAL_ID.test(id))
          throw new InputError('role-chain', `${where}, an invalid external id`, FORM);
        hop.externalId = id;
      } else if (option.startsWith('tag:')) {
        const pair = option.slice(4);
        const eq = pair.indexOf('=');
        const key = eq < 0 ? pair : pair.slice(0, eq);
        const value = eq < 0 ? '' : pair.slice(eq + 1);
        if (eq < 0 || !TAG_KEY.test(key) || !TAG_VALUE.test(value))
          throw new InputError('role-chain', `${where}, an invalid session tag`, FORM);
        hop.tags.push({ key, value });
      } else {
        throw new InputError('role-chain', `${where}, which is not a known option`, FORM);
      }
    }
    if (hop.tags.length > MAX_TAGS)
      throw new InputError(
        'role-chain',
        `has ${hop.tags.length} tags on line ${index + 1}`,
        `at most ${MAX_TAGS} tags per role`,
      );
    chain.push(hop);
  }
  return chain;
}
