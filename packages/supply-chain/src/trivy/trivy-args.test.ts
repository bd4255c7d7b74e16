import { describe, expect, it } from 'vitest';
import {
  SCAN_TYPES,
  convertToSarifArgv,
  downloadDbArgv,
  needsJavaDb,
  needsVulnerabilityDb,
  scanArgv,
  type TrivyScanSettings,
} from './trivy-args.ts';

const base: TrivyScanSettings = {
  scanType: 'image',
  target: 'ghcr.io/octo-org/app:1.2.3',
  severity: 'UNKNOWN',
  ignoreUnfixed: false,
  skipDirs: [],
  cacheDir: '/t/cache',
  jsonFile: '/w/r.json',
  configFile: '/t/empty-trivy.yaml',
};
const common = [
  '--format',
  'json',
  '--output',
  '/w/r.json',
  '--cache-dir',
  '/t/cache',
  '--config',
  '/t/empty-trivy.yaml',
];

describe('which DBs a scan type needs', () => {
  it('the vulnerability DB for all but config; the Java DB only for image (trivy fs analyses no JARs)', () => {
    expect(SCAN_TYPES.filter(needsVulnerabilityDb)).toEqual(['image', 'fs', 'sbom']);
    expect(SCAN_TYPES.filter(needsJavaDb)).toEqual(['image']);
  });
});

describe('scanArgv: inputs -> exact trivy argv', () => {
  it.each<[string, Partial<TrivyScanSettings>, string[]]>([
    [
      'image, defaults',
      {},
      [
        'image',
        ...common,
        '--severity',
        'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
        '--exit-code',
        '0',
        '--no-progress',
        '--skip-db-update',
        '--skip-java-db-update',
        '--',
        'ghcr.io/octo-org/app:1.2.3',
      ],
    ],
    [
      'image, HIGH threshold, ignore-unfixed, ignore file',
      { severity: 'HIGH', ignoreUnfixed: true, ignoreFile: '/w/.trivyignore' },
      [
        'image',
        ...common,
        '--severity',
        'HIGH,CRITICAL',
        '--exit-code',
        '0',
        '--no-progress',
        '--skip-db-update',
        '--ignore-unfixed',
        '--skip-java-db-update',
        '--ignorefile',
        '/w/.trivyignore',
        '--',
        'ghcr.io/octo-org/app:1.2.3',
      ],
    ],
    [
      'fs with skip dirs holding spaces and shell characters, each its own entry',
      { scanType: 'fs', target: '.', skipDirs: ['node_modules', 'my dir', '$(touch /tmp/x)'] },
      [
        'fs',
        ...common,
        '--severity',
        'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
        '--exit-code',
        '0',
        '--no-progress',
        '--skip-db-update',
        '--skip-java-db-update',
        '--skip-dirs',
        'node_modules',
        '--skip-dirs',
        'my dir',
        '--skip-dirs',
        '$(touch /tmp/x)',
        '--',
        '.',
      ],
    ],
    [
      'config needs no DB, takes no ignore-unfixed and no --no-progress, uses the embedded checks',
      { scanType: 'config', target: 'deploy/', ignoreUnfixed: true, severity: 'MEDIUM' },
      [
        'config',
        ...common,
        '--severity',
        'MEDIUM,HIGH,CRITICAL',
        '--exit-code',
        '0',
        '--skip-check-update',
        '--',
        'deploy/',
      ],
    ],
    [
      'sbom needs the vulnerability DB but not the Java DB',
      { scanType: 'sbom', target: 'sbom.cdx.json', severity: 'CRITICAL' },
      [
        'sbom',
        ...common,
        '--severity',
        'CRITICAL',
        '--exit-code',
        '0',
        '--no-progress',
        '--skip-db-update',
        '--',
        'sbom.cdx.json',
      ],
    ],
    [
      'a target that looks like a flag stays a target',
      { target: '--config=/etc/passwd' },
      [
        'image',
        ...common,
        '--severity',
        'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
        '--exit-code',
        '0',
        '--no-progress',
        '--skip-db-update',
        '--skip-java-db-update',
        '--',
        '--config=/etc/passwd',
      ],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(scanArgv({ ...base, ...overrides })).toEqual(expected);
  });
});

describe('other trivy argv', () => {
  it('converts the JSON report to SARIF', () => {
    expect(convertToSarifArgv('/w/r.json', '/w/r.sarif', '/t/c.yaml')).toEqual([
      'convert',
      '--config',
      '/t/c.yaml',
      '--format',
      'sarif',
      '--output',
      '/w/r.sarif',
      '--',
      '/w/r.json',
    ]);
  });
  it.each([
    [
      'db',
      'ghcr.io/aquasecurity/trivy-db',
      [
        'image',
        '--download-db-only',
        '--db-repository',
        'ghcr.io/aquasecurity/trivy-db',
        '--cache-dir',
        '/c',
        '--config',
        '/t/c.yaml',
        '--no-progress',
      ],
    ],
    [
      'java-db',
      'mirror.gcr.io/aquasec/trivy-java-db',
      [
        'image',
        '--download-java-db-only',
        '--java-db-repository',
        'mirror.gcr.io/aquasec/trivy-java-db',
        '--cache-dir',
        '/c',
        '--config',
        '/t/c.yaml',
        '--no-progress',
      ],
    ],
  ] as const)('downloads the %s from %s', (db, repo, expected) => {
    expect(downloadDbArgv(db, repo, '/c', '/t/c.yaml')).toEqual(expected);
  });
});
