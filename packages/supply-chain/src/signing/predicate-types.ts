/**
 * The attestation predicate types Slipway accepts, with the in-toto
 * `predicateType` URI each maps to (the same URIs `cosign attest --type` uses),
 * and a reader that checks a predicate file is JSON of the expected kind.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '@slipway/core';
import { GATE_POLICY_PREDICATE_TYPE, isGatePolicyPredicate } from './gate-policy.ts';

export const PREDICATE_TYPES = {
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  'gate-policy': GATE_POLICY_PREDICATE_TYPE,
} as const;

export type PredicateKind = keyof typeof PREDICATE_TYPES;
export const PREDICATE_KINDS = Object.keys(PREDICATE_TYPES) as PredicateKind[];

/** Kinds cosign knows by name; any other is passed to `--type` as its URI (a custom predicate type). */
const COSIGN_TYPE_NAMES: readonly PredicateKind[] = [
  'spdxjson',
  'cyclonedx',
  'slsaprovenance',
  'slsaprovenance1',
];

/** The value of cosign's `--type` for a kind. */
export function cosignPredicateType(kind: PredicateKind): string {
  return COSIGN_TYPE_NAMES.includes(kind) ? kind : PREDICATE_TYPES[kind];
}

export interface Predicate {
  kind: PredicateKind;
  predicateType: string;
  /** The parsed document. */
  content: unknown;
  path: string;
}

/** What each kind must look like, checked before anything is signed. */
const SHAPES: Record<PredicateKind, { test: (doc: Record<string, unknown>) => boolean; what: string }> = {
  spdxjson: {
    test: (d) => typeof d.spdxVersion === 'string',
    what: 'an SPDX JSON document (with "spdxVersion")',
  },
  cyclonedx: {
    test: (d) => d.bomFormat === 'CycloneDX',
    what: 'a CycloneDX JSON BOM (with "bomFormat": "CycloneDX")',
  },
  slsaprovenance: {
    test: (d) => typeof d.buildType === 'string' && typeof d.builder === 'object',
    what: 'a SLSA v0.2 provenance predicate (with "builder" and "buildType")',
  },
  slsaprovenance1: {
    test: (d) => typeof d.buildDefinition === 'object' && typeof d.runDetails === 'object',
    what: 'a SLSA v1 provenance predicate (with "buildDefinition" and "runDetails")',
  },
  'gate-policy': {
    test: isGatePolicyPredicate,
    what: 'a Slipway gate-policy predicate (scanner.name, policy.failOn, policy.ignoreUnfixed, result.gate)',
  },
};

export function readPredicate(
  path: string,
  kind: PredicateKind,
  read: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): Predicate {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    throw new UserError(`The predicate file ${path} (input 'predicate') cannot be read.`, {
      hint: 'Pass the path of the SBOM or provenance file written by an earlier step (relative to the workspace).',
      cause: error,
    });
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `The predicate file ${path} (input 'predicate') is not valid JSON${jsonErrorPlace(text, error)}.`,
      {
        cause: error,
      },
    );
  }
  const shape = SHAPES[kind];
  if (
    typeof content !== 'object' ||
    content === null ||
    Array.isArray(content) ||
    !shape.test(content as Record<string, unknown>)
  ) {
    throw new UserError(
      `The predicate file ${path} (input 'predicate') is not ${shape.what}, as predicate-type '${kind}' requires.`,
      {
        hint: `Use the predicate-type that matches the file (${PREDICATE_KINDS.join(', ')}).`,
      },
    );
  }
  return { kind, predicateType: PREDICATE_TYPES[kind], content, path };
}

/** ` at line L, column C` from V8's "at position N" (or "line L column C") message; empty when unknown. */
export function jsonErrorPlace(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return ` at line ${lineCol[1]}, column ${lineCol[2]}`;
  const position = /position (\d+)/.exec(message);
  if (!position) return text.trim() === '' ? ' (the file is empty)' : '';
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = Number(position[1]) - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}
