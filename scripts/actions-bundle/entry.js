// The one bundle every JavaScript action and the slipway CLI run from (built into dist/shared by
// scripts/build-actions.js). Each start is its own lazily loaded chunk group, so a process parses and
// runs only the code it starts and the packages that code imports: an action never loads the CLI, and
// the CLI never loads an action.

/**
 * dist/<name>/index.js (two generated lines) calls start('<name>'). The template literal is a webpack
 * context: each actions/<name>/src/index.ts found at build time becomes its own chunk group.
 */
export default async function start(name) {
  await import(`../../actions/${name}/src/index.ts`);
}

/**
 * The programs (packages/<pkg>/src/bin.ts; scripts/bundles.js finds them) and the module each runs
 * from here: its packages/<pkg>/src/program.ts, whose runProgram(entry) the standalone bin.ts calls
 * too. Named one by one, so that every program is a chunk group of its own.
 */
const PROGRAMS = {
  cli: () => import('../../packages/cli/src/program.ts'),
};

/**
 * dist/<name>/index.js of a program calls startProgram('<name>', its own URL): the program may start
 * that file again (pin-check's scan workers), which must lead back to the same program.
 */
export async function startProgram(name, entry) {
  const load = Object.hasOwn(PROGRAMS, name) ? PROGRAMS[name] : undefined;
  if (!load) throw new Error(`The shared bundle has no program named ${name}`);
  const { runProgram } = await load();
  await runProgram(entry);
}
