import { describe, expect, it } from 'vitest';
import { maskSecret, redact, secretForms } from './masking.ts';

describe('maskSecret', () => {
  it('registers the value, its lines, base64 and URL-encoded forms, and returns it', () => {
    const seen: string[] = [];
    const secret = 'line-one\nline/two+x';
    expect(maskSecret(secret, (v) => seen.push(v))).toBe(secret);
    expect(seen).toContain(secret);
    expect(seen).toContain('line-one');
    expect(seen).toContain('line/two+x');
    expect(seen).toContain(Buffer.from(secret).toString('base64'));
    expect(seen).toContain(encodeURIComponent(secret));
  });
  it('ignores empty values', () => {
    const seen: string[] = [];
    maskSecret('  ', (v) => seen.push(v));
    expect(seen).toEqual([]);
  });
  it('does not register short line fragments', () => {
    expect(secretForms('abcdefgh\n}\n')).not.toContain('}');
  });
});

describe('redact', () => {
  it('replaces every form of every secret', () => {
    const token = 'ghs_abc123/xyz';
    const text = `token=${token} enc=${encodeURIComponent(token)} b64=${Buffer.from(token).toString('base64')}`;
    expect(redact(text, [token])).toBe('token=*** enc=*** b64=***');
  });
});
