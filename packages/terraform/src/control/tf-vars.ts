/**
 * Terraform variables from a secret: the `tf-vars` secret of the workflow holds `NAME=value`
 * lines, each becoming `TF_VAR_NAME` for the plan and apply steps, masked first. tf-plan and
 * tf-apply redact every `TF_VAR_*` value from comments, summaries and artifacts, so a value is
 * hidden there even where the plan shows it (a variable not marked sensitive).
 *
 * Blank lines and lines starting with `#` are skipped. A value is everything after the first
 * `=` on its line (it cannot hold a line break: use a .tfvars file or base64 for those). Errors
 * name the line number, never its text: the line is a secret.
 */
import { UserError } from '@slipway/core';

export interface TfVar {
  name: string;
  value: string;
}

/** Terraform variable names: a letter or `_`, then letters, digits, `_` or `-`. */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Parses the secret. `mask` is called with every value before anything can fail on a later
 * line, so a message thrown here can never print a value unmasked.
 */
export function parseTfVars(text: string, mask: (value: string) => void, input = 'tf-vars'): TfVar[] {
  const lines = text.split(/\r?\n/);
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq >= 0 && line.slice(eq + 1).trim() !== '') mask(line.slice(eq + 1));
  }
  const vars: TfVar[] = [];
  const seen = new Map<string, number>();
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? '' : line.slice(0, eq).trim();
    if (!NAME.test(name)) {
      throw new UserError(
        `${input} line ${i + 1} is not NAME=value with a Terraform variable name (a letter or _, then letters, digits, _ or -).`,
        { hint: 'One variable per line, e.g. db_password=..., without TF_VAR_ and without export.' },
      );
    }
    const first = seen.get(name);
    if (first !== undefined)
      throw new UserError(`${input} line ${i + 1} sets ${name} again (first set on line ${first}).`);
    seen.set(name, i + 1);
    vars.push({ name, value: line.slice(eq + 1) });
  });
  return vars;
}
