import { run } from '@slipway/core';
import { getInputs } from './inputs.ts';

export default () =>
  run(async () => {
    const inputs = getInputs();
    // the installer, GitHub client, Sigstore and the apply step load only once the inputs are valid:
    // a bad input fails fast (cold start, issue 14); ncc makes this import a chunk of its own
    const { apply } = await import('./apply.ts');
    await apply(inputs);
  });
