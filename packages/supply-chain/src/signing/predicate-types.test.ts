import { describe, expect, it } from 'vitest';
import { jsonErrorPlace, readPredicate } from './predicate-types.ts';
import { sharedFixture } from '../../../../test/shared-fixtures.ts';

const shared = (path: string) => sharedFixture(`${path}`);

describe('readPredicate', () => {
  it.each([
    ['syft/image.spdx.json', 'spdxjson', 'https://spdx.dev/Document'],
    ['syft/directory.spdx.json', 'spdxjson', 'https://spdx.dev/Document'],
    ['syft/image.cyclonedx.json', 'cyclonedx', 'https://cyclonedx.org/bom'],
    ['trivy/npm-cyclonedx.json', 'cyclonedx', 'https://cyclonedx.org/bom'],
  ] as const)('reads the real %s as %s', (file, kind, predicateType) => {
    const predicate = readPredicate(shared(file), kind);
    expect(predicate.predicateType).toBe(predicateType);
    expect(predicate.kind).toBe(kind);
    expect(predicate.path).toBe(shared(file));
  });

  it('refuses a document of the wrong kind', () => {
    expect(() => readPredicate(shared('syft/image.spdx.json'), 'cyclonedx')).toThrow(
      `The predicate file ${shared('syft/image.spdx.json')} (input 'predicate') is not a CycloneDX JSON BOM (with "bomFormat": "CycloneDX"), as predicate-type 'cyclonedx' requires.`,
    );
  });

  it('accepts SLSA v0.2 and v1 shapes', () => {
    const v02 = JSON.stringify({
      builder: { id: 'https://github.com/actions/runner' },
      buildType: 'https://x',
    });
    const v1 = JSON.stringify({ buildDefinition: { buildType: 'x' }, runDetails: { builder: { id: 'y' } } });
    expect(readPredicate('p.json', 'slsaprovenance', () => v02).predicateType).toBe(
      'https://slsa.dev/provenance/v0.2',
    );
    expect(readPredicate('p.json', 'slsaprovenance1', () => v1).predicateType).toBe(
      'https://slsa.dev/provenance/v1',
    );
    expect(() => readPredicate('p.json', 'slsaprovenance1', () => v02)).toThrow(/SLSA v1 provenance/);
  });

  it('names the line and column of broken JSON', () => {
    expect(() =>
      readPredicate('sbom.json', 'spdxjson', () => '{\n  "spdxVersion": "SPDX-2.3",\n  x\n}'),
    ).toThrow("The predicate file sbom.json (input 'predicate') is not valid JSON at line 3, column 3.");
  });

  it('says when the file cannot be read', () => {
    expect(() => readPredicate('/nope/sbom.json', 'spdxjson')).toThrow(
      "The predicate file /nope/sbom.json (input 'predicate') cannot be read.",
    );
  });
});

describe('jsonErrorPlace', () => {
  it('handles empty files and node 22+ messages', () => {
    expect(jsonErrorPlace('', new SyntaxError('Unexpected end of JSON input'))).toBe(' (the file is empty)');
    expect(jsonErrorPlace('x', new SyntaxError('Unexpected token (line 4 column 9)'))).toBe(
      ' at line 4, column 9',
    );
  });
});
