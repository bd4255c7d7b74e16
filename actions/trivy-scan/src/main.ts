import { run } from '@slipway/core';
import { getInputs } from './inputs.ts';

export default () =>
  run(async () => {
    const inputs = getInputs();
    // the registry client, installer, caches and scanner load only once the inputs are valid: a bad
    // input fails fast (cold start, issue 14); ncc makes this import a chunk of its own
    const { scan } = await import('./scan.ts');
    await scan(inputs);
  });
