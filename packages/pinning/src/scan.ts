/**
 * Finds every place in a workflow or action file that names third-party code,
 * with exact positions: step and job `uses:`, composite steps, `docker://`
 * images, job `container:` and `services.*.image`, and `runs.image` of Docker
 * actions. Positions come from the `yaml` parser's source ranges, so quoted
 * scalars, flow style, anchors, CRLF and a BOM keep correct lines and columns.
 */
import { type Document, isMap, isScalar, LineCounter, parseAllDocuments, Scalar, type Node } from 'yaml';
import { duplicateKeyErrors } from './duplicate-keys.ts';
import { scanLines } from './fast-scan.ts';
import { walkBudget, WalkBudgetExceeded, YamlWalker } from './yaml-walk.ts';

export type SiteKind = 'step-uses' | 'job-uses' | 'container' | 'service' | 'runs-image';
export type FileKind = 'workflow' | 'action';

export interface ReferenceSite {
  file: string;
  kind: SiteKind;
  /** The scalar's value; undefined when the key holds something other than a string. */
  value: string | undefined;
  /** 1-based line and column of the value's first character (inside quotes). */
  line: number;
  column: number;
  /** Offsets of the value text in the file as read (a BOM counts as one character). */
  valueStart: number;
  valueEnd: number;
  /** Offset just after the scalar (after a closing quote): where a new comment goes. */
  scalarEnd: number;
  /** The source text between valueStart and valueEnd is exactly `value` on one line. */
  editable: boolean;
  /** The rest of the line after the value is blank or a comment, so a comment may be written there. */
  commentSlot: boolean;
  /** The trailing `# ...` comment on the same line, if any (offsets as above, `#` included). */
  comment?: { start: number; end: number; text: string };
}

export interface ParseProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface ScanResult {
  sites: ReferenceSite[];
  problems: ParseProblem[];
  /** Why the file was not checked (not a regular file, too large, too many lookups); no sites then. */
  unchecked?: string;
}

export function fileKindOf(path: string): FileKind {
  return /(^|[\\/])action\.ya?ml$/.test(path) ? 'action' : 'workflow';
}

/** Scans one file's text. Never throws for any input: problems come back as ParseProblem. */
export function scanFile(file: string, raw: string, kind: FileKind = fileKindOf(file)): ScanResult {
  return scanFileFast(file, raw, kind) ?? scanFileFully(file, raw, kind);
}

/** scanFile through the full `yaml` parser only (the fast path's reference). */
export function scanFileFully(file: string, raw: string, kind: FileKind = fileKindOf(file)): ScanResult {
  const bom = raw.startsWith('\uFEFF') ? 1 : 0;
  const text = bom ? raw.slice(1) : raw;
  const lineCounter = new LineCounter();
  // The parser's own duplicate-key check compares each key with every earlier one (quadratic).
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const problems: ParseProblem[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  // One problem per file: the parser reports one syntax error several times over (each later error
  // follows from the first), and every parse-error finding of a file has the same fingerprint
  // (file, rule, empty reference), so code scanning would show them as one alert anyway.
  const errors = list
    .flatMap((doc) => [...doc.errors, ...duplicateKeyErrors(doc)])
    .sort((a, b) => a.pos[0] - b.pos[0]);
  const first = errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    problems.push({ file, line, column: col, message: firstLine(first.message) });
  }
  if (problems.length > 0) return { sites: [], problems };
  const roots = list.map((doc) => ({ doc, root: doc.contents }));
  return collectSites(file, text, bom, kind, roots, lineCounter);
}

/**
 * The fast path (fast-scan.ts): the sites of a file in the block YAML subset
 * real workflows are written in, found line by line; undefined when the full
 * parser must decide.
 */
export function scanFileFast(
  file: string,
  raw: string,
  kind: FileKind = fileKindOf(file),
): ScanResult | undefined {
  return scanLines(file, raw, kind);
}

/** Sites of the parsed documents in file order, or why the file was not checked. */
function collectSites(
  file: string,
  text: string,
  bom: number,
  kind: FileKind,
  roots: { doc: Document; root: unknown }[],
  lineCounter: LineCounter,
): ScanResult {
  const sites: ReferenceSite[] = [];
  const seen = new Set<Node>();
  const position = (offset: number) => lineCounter.linePos(offset);
  const add = (siteKind: SiteKind, node: Node | undefined) => {
    if (node === undefined || seen.has(node)) return;
    // An empty image (`image: ''`, `container:`) means "no container": GitHub skips it.
    if ((siteKind === 'container' || siteKind === 'service') && isScalar(node) && (node.value ?? '') === '')
      return;
    seen.add(node);
    sites.push(siteFor(file, siteKind, node, text, bom, position));
  };
  const budget = walkBudget();
  try {
    for (const { doc, root } of roots) {
      if (!isMap(root)) continue;
      if (kind === 'workflow') scanWorkflow(new YamlWalker(doc, budget), root, add);
      else scanAction(new YamlWalker(doc, budget), root, add);
    }
  } catch (error) {
    if (error instanceof WalkBudgetExceeded) return { sites: [], problems: [], unchecked: error.message };
    throw error;
  }
  sites.sort((a, b) => a.valueStart - b.valueStart);
  return { sites, problems: [] };
}

type Add = (kind: SiteKind, node: Node | undefined) => void;

function scanWorkflow(walk: YamlWalker, root: import('yaml').YAMLMap, add: Add): void {
  const jobs = walk.map(root, 'jobs');
  if (!jobs) return;
  for (const job of walk.values(jobs)) {
    if (!isMap(job)) continue;
    add('job-uses', walk.entry(job, 'uses'));
    const container = walk.entry(job, 'container');
    add('container', isMap(container) ? walk.entry(container, 'image') : container);
    const services = walk.map(job, 'services');
    for (const service of services ? walk.values(services) : []) {
      add('service', isMap(service) ? walk.entry(service, 'image') : service);
    }
    for (const step of walk.seqItems(walk.entry(job, 'steps'))) {
      if (isMap(step)) add('step-uses', walk.entry(step, 'uses'));
    }
  }
}

function scanAction(walk: YamlWalker, root: import('yaml').YAMLMap, add: Add): void {
  const runs = walk.map(root, 'runs');
  if (!runs) return;
  for (const step of walk.seqItems(walk.entry(runs, 'steps'))) {
    if (isMap(step)) add('step-uses', walk.entry(step, 'uses'));
  }
  const image = walk.entry(runs, 'image');
  if (isScalar(image) && typeof image.value === 'string' && image.value.startsWith('docker://')) {
    add('runs-image', image);
  }
}

function siteFor(
  file: string,
  kind: SiteKind,
  node: Node,
  text: string,
  bom: number,
  position: (offset: number) => { line: number; col: number },
): ReferenceSite {
  const [start, end] = node.range ?? [0, 0];
  const quoted = isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
  const valueStart = quoted ? start + 1 : start;
  const valueEnd = quoted ? Math.max(valueStart, end - 1) : end;
  const value = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
  const source = text.slice(valueStart, valueEnd);
  const editable =
    value !== undefined &&
    source === value &&
    !/[\r\n]/.test(source) &&
    (!isScalar(node) || node.type !== Scalar.BLOCK_FOLDED) &&
    (!isScalar(node) || node.type !== Scalar.BLOCK_LITERAL);
  const lineEnd = endOfLine(text, end);
  const rest = text.slice(end, lineEnd);
  const slot = /^([ \t]*)(#.*)?$/.exec(rest);
  const { line, col } = position(valueStart);
  const site: ReferenceSite = {
    file,
    kind,
    value,
    line,
    column: col,
    valueStart: valueStart + bom,
    valueEnd: valueEnd + bom,
    scalarEnd: end + bom,
    editable,
    commentSlot: slot !== null,
  };
  if (slot?.[2] !== undefined) {
    const commentStart = end + (slot[1]?.length ?? 0);
    site.comment = { start: commentStart + bom, end: lineEnd + bom, text: slot[2].slice(1).trim() };
  }
  return site;
}

function endOfLine(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  const end = newline < 0 ? text.length : newline;
  return end > from && text[end - 1] === '\r' ? end - 1 : end;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
