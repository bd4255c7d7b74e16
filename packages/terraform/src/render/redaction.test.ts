import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realTool } from '../../../../test/real-tools.ts';
import { planChanges } from '../plan/plan-changes.ts';
import { planModule, writeModule } from '../plan/real-tofu.fixture.ts';
import { SUMMARY_BUDGET, renderPlanMarkdown } from './plan-markdown.ts';
import { SENSITIVE, collectSecrets, maskSensitive, redactPlanJson, scrubText } from './redaction.ts';

const DB_PASSWORD = 'pw-Correct-Horse-42'; // a sensitive variable, from TF_VAR_db_password
const API_KEY = 'ghp_notARealToken0123456789abcdefABCD'; // a plain variable whose value the job knows (an input)
const TICKET = 'TICKET-99881'; // matched only by the user's `redact` pattern
const CHILD_DEFAULT = 'child-default-9f8e7d';

let root: string;
let raw: unknown;

beforeAll(async () => {
  const tofu = realTool('tofu').path;
  root = mkdtempSync(join(tmpdir(), 'tf-redact-'));
  const dir = writeModule(join(root, 'm'), {
    'main.tf': `
variable "db_password" {
  type      = string
  sensitive = true
}
variable "api_key" { type = string }
variable "fallback" {
  type      = string
  sensitive = true
  default   = "default-${'s3cr3t'}-value"
}
resource "terraform_data" "db" {
  input = { password = var.db_password, user = "app", fallback = var.fallback }
}
resource "terraform_data" "client" { input = "key=\${var.api_key};note=${TICKET}" }
module "child" { source = "./child" }
output "conn" {
  value     = "postgres://app:\${var.db_password}@db"
  sensitive = true
}
`,
    'prod.tfvars': `api_key = "${API_KEY}"\n`,
    // a child module's sensitive default: known to nobody but the plan's own marks
    'child/main.tf': `
variable "token" {
  type      = string
  sensitive = true
  default   = "${CHILD_DEFAULT}"
}
resource "terraform_data" "c" { input = var.token }
`,
  });
  raw = (await planModule(tofu, dir, { TF_VAR_db_password: DB_PASSWORD }, ['prod.tfvars'])).planJson;
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('redaction of a real plan with sensitive values', () => {
  it('the raw show -json holds the secrets (so the checks below can fail)', () => {
    const text = JSON.stringify(raw);
    for (const secret of [DB_PASSWORD, API_KEY, TICKET, 'default-s3cr3t-value', CHILD_DEFAULT])
      expect(text).toContain(secret);
  });

  it('nothing of them is left in the redacted plan JSON or the Markdown rendered from it', () => {
    const masked: string[] = [];
    const secrets = collectSecrets(
      {
        inputs: [API_KEY],
        env: { TF_VAR_db_password: DB_PASSWORD, HOME: '/root' },
        backendConfig: [],
        patterns: [/TICKET-\d+/],
      },
      (value) => masked.push(value),
    );
    expect(masked).toContain(API_KEY);
    expect(masked).toContain(DB_PASSWORD);
    expect(masked).not.toContain('/root');
    const redacted = redactPlanJson(raw, secrets);
    const markdown = renderPlanMarkdown(
      planChanges(redacted),
      {
        toolLabel: 'OpenTofu',
        directory: 'm',
        workspace: 'default',
        exitcode: 2,
        planDigest: undefined,
        fullPlanUrl: undefined,
      },
      SUMMARY_BUDGET,
    );
    for (const text of [JSON.stringify(redacted), markdown]) {
      for (const secret of [
        DB_PASSWORD,
        API_KEY,
        TICKET,
        's3cr3t',
        CHILD_DEFAULT,
        Buffer.from(DB_PASSWORD).toString('base64'),
      ])
        expect(text).not.toContain(secret);
    }
    // marked values are replaced by a placeholder, the rest of the structure stays
    const db = planChanges(redacted).resources.find((r) => r.address === 'terraform_data.db')!;
    expect(db.after).toMatchObject({ input: { password: SENSITIVE, fallback: SENSITIVE, user: 'app' } });
    expect(markdown).toContain('terraform_data.client');
    expect(markdown).toContain('key=***;note=***');
  });

  it('maskSensitive follows the parallel structure, scrubText every encoded form', () => {
    expect(maskSensitive({ a: 1, b: [1, 2], c: { d: 'x' } }, { b: [false, true], c: { d: true } })).toEqual({
      a: 1,
      b: [1, SENSITIVE],
      c: { d: SENSITIVE },
    });
    const secrets = { values: ['p@ss word!'], patterns: [] };
    expect(scrubText(`a p@ss word! b ${encodeURIComponent('p@ss word!')}`, secrets)).toBe('a *** b ***');
  });

  it('backend-config key=value values are secrets; file paths are not', () => {
    const secrets = collectSecrets(
      { inputs: [], env: {}, backendConfig: ['password=pg-secret-1', 'backend.hcl'], patterns: [] },
      () => {},
    );
    expect(secrets.values).toEqual(['pg-secret-1']);
  });
});
