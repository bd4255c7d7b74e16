/**
 * The identity regexps are matched by two engines: JavaScript's (the native
 * verifier) and Go's RE2 (cosign). Constructs one of them reads differently or
 * not at all are refused with an input error instead of letting the two
 * engines disagree about who signed: backreferences and lookaround (RE2 has
 * neither), named groups (`(?<n>` vs `(?P<n>`), inline flags such as `(?i)`
 * (RE2 only), and the escapes `\A \z \Z \Q \E` (RE2 only; JavaScript reads a
 * literal letter without the `u` flag). JavaScript compiles with `u`, so any
 * other unknown escape is a syntax error there too.
 */
import { InputError } from '@slipway/core';

const FORM =
  'a regular expression without backreferences, lookaround, named groups, inline flags or \\A \\z \\Q…\\E (JavaScript and Go RE2 must read it alike; it is anchored as ^(?:…)$ for you)';

export function checkPortableRegexp(input: string, source: string): void {
  const refuse = (what: string, at: number) => {
    throw new InputError(input, `uses ${what} at offset ${at} ('${source.slice(at, at + 6)}')`, FORM);
  };
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) refuse('a backreference', i);
      if (next === 'k') refuse('a named backreference', i);
      if ('AzZQE'.includes(next) && next !== '') refuse(`the RE2-only escape \\${next}`, i);
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      // a leading ] is a literal in RE2, and an empty class (JavaScript) closed right away
      if (/^\^?\]/.test(source.slice(i + 1))) refuse('a character class that starts with ]', i);
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2);
      if (/^(=|!|<=|<!)/.test(rest)) refuse('lookaround', i);
      if (/^(P?<)/.test(rest)) refuse('a named group', i);
      if (!rest.startsWith(':')) refuse('an inline flag group', i);
    }
  }
}
