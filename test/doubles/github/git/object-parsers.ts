/**
 * Parsers for the text form of git commit and tag objects (`git cat-file commit|tag`).
 */

export interface GitSignature {
  name: string;
  email: string;
  /** ISO 8601 in UTC, second precision, e.g. 2024-01-02T03:04:05Z. */
  date: string;
}

export interface ParsedCommit {
  oid: string;
  tree: string;
  parents: string[];
  author: GitSignature;
  committer: GitSignature;
  message: string;
}

export interface ParsedTag {
  oid: string;
  object: string;
  type: 'commit' | 'tree' | 'blob' | 'tag';
  tag: string;
  tagger: GitSignature | null;
  message: string;
}

function parseSignature(value: string): GitSignature {
  const match = /^(.*) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (!match) throw new Error(`unparseable git signature: ${value}`);
  const seconds = Number(match[3]);
  return {
    name: match[1]!,
    email: match[2]!,
    date: new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

function splitHeaders(text: string): { headers: Array<[string, string]>; message: string } {
  const end = text.indexOf('\n\n');
  const head = end === -1 ? text : text.slice(0, end);
  const message = end === -1 ? '' : text.slice(end + 2);
  const headers: Array<[string, string]> = [];
  for (const line of head.split('\n')) {
    if (line.startsWith(' ') && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last[1] += `\n${line.slice(1)}`;
      continue;
    }
    const space = line.indexOf(' ');
    headers.push([line.slice(0, space), line.slice(space + 1)]);
  }
  return { headers, message };
}

export function parseCommit(oid: string, text: string): ParsedCommit {
  const { headers, message } = splitHeaders(text);
  let tree = '';
  const parents: string[] = [];
  let author: GitSignature | undefined;
  let committer: GitSignature | undefined;
  for (const [key, value] of headers) {
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parseSignature(value);
    else if (key === 'committer') committer = parseSignature(value);
  }
  if (!tree || !author || !committer) throw new Error(`incomplete commit object ${oid}`);
  return { oid, tree, parents, author, committer, message };
}

export function parseTag(oid: string, text: string): ParsedTag {
  const { headers, message } = splitHeaders(text);
  const fields = new Map(headers);
  const type = fields.get('type');
  if (type !== 'commit' && type !== 'tree' && type !== 'blob' && type !== 'tag') {
    throw new Error(`tag ${oid} has unknown target type ${String(type)}`);
  }
  const tagger = fields.get('tagger');
  return {
    oid,
    object: fields.get('object') ?? '',
    type,
    tag: fields.get('tag') ?? '',
    tagger: tagger ? parseSignature(tagger) : null,
    message,
  };
}

/** First line of a commit message, as GitHub's messageHeadline. */
export function messageHeadline(message: string): string {
  return message.split('\n', 1)[0] ?? '';
}
