/**
 * What the docs tests need from a Markdown file, read the way GitHub renders it: fenced code blocks
 * (with their language and first line), the links outside code, and the anchors GitHub gives headings.
 */

export interface FencedBlock {
  lang: string;
  body: string;
  /** 1-based line of the first line inside the fence. */
  line: number;
}

export interface MarkdownLink {
  target: string;
  line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w-]*)/;

/** Every fenced code block, in order. An unclosed fence runs to the end of the file, as on GitHub. */
export function fencedBlocks(text: string): FencedBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).exec(lines[j]!);
      if (close) break;
      body.push(lines[j]!);
    }
    // a fence indented inside a list item: strip the common indentation
    const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
    const strip = Number.isFinite(indent) ? indent : 0;
    blocks.push({
      lang: open[2]!.toLowerCase(),
      body: body.map((l) => l.slice(strip)).join('\n'),
      line: i + 2,
    });
    i = j;
  }
  return blocks;
}

/**
 * The text with fenced blocks blanked out, and inline code spans too unless `spans` is false (line
 * numbers kept).
 */
export function withoutCode(text: string, spans = true): string {
  const lines = text.split(/\r?\n/);
  let fence: string | null = null;
  const out = lines.map((line) => {
    if (fence === null) {
      const open = FENCE.exec(line);
      if (open) {
        fence = open[1]!;
        return '';
      }
      return spans ? line.replace(/(`+)[^`]*?\1/g, (m) => ' '.repeat(m.length)) : line;
    }
    if (new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(line)) fence = null;
    return '';
  });
  return out.join('\n');
}

/**
 * Link targets outside code: inline links and images `[text](target "title")`, `<target>` forms,
 * and reference definitions `[label]: target`. Autolinks and bare URLs are left out.
 */
export function markdownLinks(text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  withoutCode(text)
    .split('\n')
    .forEach((line, index) => {
      for (const m of line.matchAll(/\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+["'(][^)]*)?\)/g))
        links.push({ target: m[1]!.replace(/^<|>$/g, ''), line: index + 1 });
      const definition = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
      if (definition) links.push({ target: definition[1]!.replace(/^<|>$/g, ''), line: index + 1 });
    });
  return links;
}

/**
 * GitHub's anchor for a heading text: the rendered text lower-cased, punctuation dropped (letters,
 * digits, marks, spaces, `-` and `_` stay), each space a hyphen.
 */
export function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML tags
    .replace(/`/g, '');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a file offers: its headings (repeats get -1, -2, …) and explicit `id`/`name` attributes. */
export function anchors(text: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCode(text, false).split('\n')) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading) {
      const slug = githubSlug(heading[1]!);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      found.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const m of line.matchAll(/<a\s+(?:[^>]*\s)?(?:id|name)="([^"]+)"/g)) found.add(m[1]!);
  }
  return found;
}
