import { UserError } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { emptyCloudLogin } from './cloud-login.ts';
import { parseSettings } from './settings-file.ts';

const FILE = '.github/slipway-tf.yml';

function errorOf(text: string): string {
  try {
    parseSettings(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('.github/slipway-tf.yml', () => {
  it('reads projects with their settings; defaults apply wherever they are in the file', () => {
    const settings = parseSettings(
      [
        'projects:',
        '  - dir: ./infra/prod/',
        '    environment: production',
        '    backend-config: [backend/prod.hcl, "key=prod.tfstate"]',
        '    var-files: prod.tfvars',
        '  - dirs: "services/*"',
        '    workspace: staging',
        '    role: arn:aws:iam::111122223333:role/svc',
        'defaults:',
        '  role: arn:aws:iam::111122223333:role/plan',
        '  var-files: [common.tfvars]',
        'version: 1',
      ].join('\n'),
      FILE,
    );
    expect(settings.defaults).toMatchObject({
      login: { role: 'arn:aws:iam::111122223333:role/plan' },
      workspace: 'default',
    });
    expect(settings.projects).toEqual([
      {
        dir: 'infra/prod',
        where: `${FILE}:2`,
        settings: {
          workspace: 'default',
          login: { ...emptyCloudLogin(), role: 'arn:aws:iam::111122223333:role/plan' },
          environment: 'production',
          backendConfig: ['backend/prod.hcl', 'key=prod.tfstate'],
          varFiles: ['prod.tfvars'],
        },
      },
      {
        glob: 'services/*',
        where: `${FILE}:6`,
        settings: {
          workspace: 'staging',
          login: { ...emptyCloudLogin(), role: 'arn:aws:iam::111122223333:role/svc' },
          environment: '',
          backendConfig: [],
          varFiles: ['common.tfvars'],
        },
      },
    ]);
  });

  it('an empty file or one without projects means "find the roots"', () => {
    expect(parseSettings('', FILE).projects).toBeNull();
    expect(parseSettings('# nothing\n', FILE).projects).toBeNull();
    expect(parseSettings('defaults:\n  workspace: prod\n', FILE)).toMatchObject({
      projects: null,
      defaults: { workspace: 'prod' },
    });
  });

  it.each([
    ['projects:\n  - dir: a\n    enviroment: prod\n', `${FILE}:3: unknown key 'enviroment' in projects[0]`],
    ['projects:\n  - dir: a\n    dirs: "b/*"\n', `${FILE}:2: projects[0] needs exactly one of 'dir'`],
    ['projects:\n  - role: x\n', `${FILE}:2: projects[0] needs exactly one of 'dir'`],
    [
      'projects:\n  - dir: a\n  - dir: b\n    workspace: "prod/eu"\n',
      `${FILE}:4: The projects[1].workspace "prod/eu" is not a valid`,
    ],
    [
      'projects:\n  - dir: ../elsewhere\n',
      `${FILE}:2: The projects[0].dir "../elsewhere" leaves the repository`,
    ],
    [
      'projects:\n  - dir: a\n\n  - dir: ./a/\n',
      `${FILE}:4: a (workspace default) is already configured at ${FILE}:2`,
    ],
    [
      'projects:\n  - dir: a\n    var-files: [x, 3]\n',
      `${FILE}:3: projects[0].var-files[1] must be a non-empty string`,
    ],
    ['projects:\n  dir: a\n', `${FILE}:2: 'projects' must be a list`],
    ['defaults:\n  role: [a]\n', `${FILE}:2: defaults.role must be a non-empty string`],
    ['version: 2\n', `${FILE}:1: 'version' must be 1`],
    ['project:\n  - dir: a\n', `${FILE}:1: unknown key 'project'`],
    ['projects:\n  - dir: a\n - dir: b\n', `${FILE}:3: not valid YAML`],
    ['defaults:\n  role: a\n  role: b\n', `${FILE}:3: not valid YAML`],
  ])('names the file and line of %j', (text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  const WIP = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/slipway';
  const TENANT = '0f0e0d0c-0b0a-0908-0706-050403020100';
  const CLIENT = '00112233-4455-6677-8899-aabbccddeeff';

  it('reads a cloud login per directory: aws, gcp or azure; an entry of one cloud drops the others it inherits', () => {
    const settings = parseSettings(
      [
        'defaults:',
        `  tenant-id: ${TENANT}`,
        'projects:',
        '  - dir: aws',
        '    role: arn:aws:iam::111122223333:role/plan',
        '    aws-region: eu-west-1',
        '  - dir: gcp',
        `    workload-identity-provider: ${WIP}`,
        '    service-account: tf@acme-prod.iam.gserviceaccount.com',
        '    project-id: acme-prod',
        '  - dir: azure',
        `    client-id: ${CLIENT}`,
        '    subscription-id: 8899aabb-ccdd-eeff-0011-223344556677',
      ].join('\n'),
      FILE,
    );
    expect(settings.projects?.map((p) => p.settings.login)).toEqual([
      { ...emptyCloudLogin(), role: 'arn:aws:iam::111122223333:role/plan', 'aws-region': 'eu-west-1' },
      {
        ...emptyCloudLogin(),
        'workload-identity-provider': WIP,
        'service-account': 'tf@acme-prod.iam.gserviceaccount.com',
        'project-id': 'acme-prod',
      },
      {
        ...emptyCloudLogin(),
        'client-id': CLIENT,
        'tenant-id': TENANT,
        'subscription-id': '8899aabb-ccdd-eeff-0011-223344556677',
      },
    ]);
  });

  it.each([
    [
      `defaults:\n  role: arn:aws:iam::111122223333:role/x\n  tenant-id: ${TENANT}\n`,
      `${FILE}:3: defaults sets azure login settings (tenant-id) besides aws ones (role)`,
    ],
    [
      `projects:\n  - dir: a\n    role: arn:aws:iam::111122223333:role/x\n    client-id: ${CLIENT}\n`,
      `${FILE}:4: projects[0] sets azure login settings (client-id) besides aws ones (role)`,
    ],
    ['defaults:\n  role: tf-plan\n', `${FILE}:2: defaults.role must be an IAM role ARN`],
    [
      'projects:\n  - dir: a\n    workload-identity-provider: projects/acme/pools/x\n',
      `${FILE}:3: projects[0].workload-identity-provider must be projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`,
    ],
    [
      'projects:\n  - dir: a\n    service-account: tf@acme.iam.gserviceaccount.com\n',
      `${FILE}:2: projects[0] sets service-account for a gcp login but not workload-identity-provider`,
    ],
    [
      `projects:\n  - dir: a\n  - dir: b\n    client-id: ${CLIENT}\n`,
      `${FILE}:3: projects[1] sets client-id for a azure login but not tenant-id`,
    ],
    [
      'defaults:\n  client-id: not-a-guid\n',
      `${FILE}:2: defaults.client-id must be the application (client) ID`,
    ],
    [
      `defaults:\n  tenant-id: ${TENANT}\n`,
      `${FILE}:1: defaults sets tenant-id for a azure login but not client-id`,
    ],
  ])('a bad cloud login names the file and line: %j', (text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  it('the same directory in two workspaces is two projects', () => {
    const settings = parseSettings('projects:\n  - dir: a\n  - dir: a\n    workspace: prod\n', FILE);
    expect(settings.projects?.map((p) => `${p.dir}:${p.settings.workspace}`)).toEqual([
      'a:default',
      'a:prod',
    ]);
  });
});
