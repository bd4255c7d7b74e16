/**
 * One SBOM run: syft writes every requested format in a single catalogue pass,
 * then each document is read back and summarised (the optional artifact upload
 * is sbom-artifact.ts, after the files and outputs exist).
 */
import { readFile } from 'node:fs/promises';
import { markdownTable } from '@slipway/core';
import { codeSpan, inertText } from '../summary/scanned-text.ts';
import { UserError } from '@slipway/core';
import { tail, type ProgramRunner } from '../tools/run-program.ts';
import { summariseSbom, type SbomSummary } from './sbom-documents.ts';
import { SYFT_ENV, syftScanArgv, syftSource, type SbomOutput, type SbomSource } from './syft-args.ts';

export interface SbomRun {
  syft: string;
  run: ProgramRunner;
  source: SbomSource;
  outputs: SbomOutput[];
}

export interface SbomResult {
  documents: (SbomOutput & { summary: SbomSummary })[];
}

export async function generateSbom(o: SbomRun): Promise<SbomResult> {
  const result = await o.run(o.syft, syftScanArgv(o.source, o.outputs), { env: SYFT_ENV });
  if (result.exitCode !== 0) {
    throw new UserError(
      `syft could not catalogue ${syftSource(o.source)} (exit ${result.exitCode}):\n${tail(result.stderr)}`,
      {
        hint:
          o.source.kind === 'image'
            ? 'Check the `image` input: an image reference the runner can pull (log in to a private registry first, e.g. with docker/login-action).'
            : 'Check the `path` input: a directory or file in the workspace that syft can read.',
      },
    );
  }
  const documents = [];
  for (const output of o.outputs) {
    documents.push({ ...output, summary: summariseSbom(await readFile(output.path, 'utf8'), output.path) });
  }
  return { documents };
}

export function sbomSummaryMarkdown(
  source: string,
  result: SbomResult,
  displayPath: (p: string) => string = (p) => p,
): string {
  const lines = [`### SBOM: ${codeSpan(source)}`, ''];
  lines.push(
    markdownTable(
      ['Format', 'File', 'Packages'],
      result.documents.map((d) => [d.format, inertText(displayPath(d.path)), String(d.summary.packages)]),
    ),
  );
  const first = result.documents[0];
  if (first && first.summary.packages > 0) {
    lines.push('', `#### Packages by type (${first.format})`, '');
    const rows = Object.entries(first.summary.byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    lines.push(
      markdownTable(
        ['Type', 'Packages'],
        rows.map(([t, n]) => [inertText(t, 80), String(n)]),
      ),
    );
  }
  return lines.join('\n') + '\n';
}
