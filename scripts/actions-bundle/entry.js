// The one bundle every JavaScript action runs from (built into dist/shared by scripts/build-actions.js).
// dist/<name>/index.js is two generated lines that call start('<name>'). The template literal is a
// webpack context: each actions/<name>/src/index.ts found at build time becomes its own lazily loaded
// chunk group, so an action parses and runs only its own code and the packages it imports.
export default async function start(name) {
  await import(`../../actions/${name}/src/index.ts`);
}
