// Debian packages the test suite needs, as { command, pkg } (and `paths`: globs where the command
// also counts as present when it is not on PATH). `npm test` installs the missing ones (apt-get, as
// root) before running vitest, so a fresh machine passes the suite by itself.
export const SYSTEM_DEPS = [
  { command: 'git', pkg: 'git' },
  { command: 'shellcheck', pkg: 'shellcheck' },
  { command: 'jq', pkg: 'jq' },
  { command: 'docker-registry', pkg: 'docker-registry' },
  { command: 'skopeo', pkg: 'skopeo' },
  { command: 'umoci', pkg: 'umoci' },
  { command: 'zip', pkg: 'zip' },
  { command: 'unzip', pkg: 'unzip' },
  // initdb + postgres for OpenTofu's pg backend (test/doubles/postgres); Debian keeps them off PATH
  { command: 'initdb', pkg: 'postgresql', paths: ['/usr/lib/postgresql/*/bin/initdb'] },
];
