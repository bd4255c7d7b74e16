import { runProgram } from './program.ts';

// The standalone program (scripts/build.js --standalone cli, which npm packs): this bundle is also
// its own worker for pin-check's scans. The committed dist/cli/index.js runs program.ts from the
// shared bundle instead.
await runProgram(new URL(import.meta.url));
