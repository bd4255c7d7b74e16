/** Module calls read from Terraform files (hcl-scan.ts for HCL, JSON.parse for .tf.json) and the graph they make. */
import { describe, expect, it } from 'vitest';
import {
  buildModuleGraph,
  isTerraformFile,
  localModuleDir,
  moduleClosure,
  readModuleCalls,
  type TerraformSource,
} from './module-graph.ts';

function sourceOf(files: Record<string, string>): TerraformSource & { reads: string[][] } {
  const reads: string[][] = [];
  return {
    reads,
    filesIn: (dir) =>
      Object.keys(files).filter((p) => p.slice(0, p.lastIndexOf('/')) === dir && isTerraformFile(p)),
    read: async (paths) => {
      reads.push(paths);
      return new Map(paths.map((p) => [p, files[p]!]));
    },
  };
}

const ROOT = `terraform {
  required_version = ">= 1.6"
}

variable "token" {
  type      = string
  sensitive = true
}

module "network" {
  source = "../../modules/network"
  cidr   = "10.0.0.0/16"
  tags   = { team = "platform", "cost-center" = 42 }
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
}

module "remote" {
  source = "git::https://example.com/modules.git//dns?ref=v1.2.0"
}

# module "commented" { source = "../../modules/never" }

resource "terraform_data" "x" {
  input = "\${module.network.id}/${'$'}{var.token}"
}
`;

describe('reading module calls', () => {
  it('finds module sources in HCL, ignoring comments, strings and other block types', () => {
    const calls = readModuleCalls('live/prod/main.tf', ROOT);
    expect(calls.map((c) => [c.name, c.source, c.file])).toEqual([
      ['network', '../../modules/network', 'live/prod/main.tf'],
      ['vpc', 'terraform-aws-modules/vpc/aws', 'live/prod/main.tf'],
      ['remote', 'git::https://example.com/modules.git//dns?ref=v1.2.0', 'live/prod/main.tf'],
    ]);
  });

  it('reads the JSON syntax too, with a block as an object or a list, and module as a list', () => {
    const json = JSON.stringify({
      module: { a: { source: './a' }, b: [{ source: '../b' }, { version: '1' }] },
    });
    expect(readModuleCalls('x/main.tf.json', json).map((c) => c.source)).toEqual(['./a', '../b']);
    const list = JSON.stringify({ module: [{ c: { source: './c' } }, { d: { source: './$${d}' } }] });
    expect(readModuleCalls('x/main.tf.json', list).map((c) => [c.name, c.source])).toEqual([
      ['c', './c'],
      ['d', './${d}'], // JSON strings are templates: $${ is a literal ${
    ]);
  });

  it('a JSON source with an interpolation, or not a string, is an error naming the module', () => {
    const template = JSON.stringify({ module: { e: { source: './${var.x}' } } });
    expect(() => readModuleCalls('x/main.tf.json', template)).toThrow(
      'x/main.tf.json: module "e": the source "./${var.x}" is not a literal string',
    );
    const number = JSON.stringify({ module: { f: { source: 5 } } });
    expect(() => readModuleCalls('x/main.tf.json', number)).toThrow(
      'module "f": the source 5 is not a literal',
    );
    expect(() => readModuleCalls('x/main.tf.json', '{"module": ')).toThrow('x/main.tf.json: not valid JSON');
  });

  it('a syntax error names the file, line and column', () => {
    expect(() => readModuleCalls('live/bad/main.tf', 'module "x" {\n  source = \n}\n')).toThrow(
      'live/bad/main.tf:2,12: an expression is required after "="',
    );
  });

  it('only ./ and ../ sources are local; one leaving the repository is flagged', () => {
    expect(localModuleDir('live/prod', '../../modules/network')).toBe('modules/network');
    expect(localModuleDir('live/prod', './sub/')).toBe('live/prod/sub');
    expect(localModuleDir('.', './modules/x')).toBe('modules/x');
    expect(localModuleDir('live', '../..')).toBe('outside');
    expect(localModuleDir('live', 'modules/x')).toBeNull(); // a registry address, not a path
    expect(localModuleDir('live', 'git::https://x/y.git')).toBeNull();
  });

  it('knows Terraform and OpenTofu files, not .terraform working directories', () => {
    expect(['a/main.tf', 'a/x.tofu', 'a/x.tf.json', 'a/x.tofu.json'].every(isTerraformFile)).toBe(true);
    expect(
      ['a/x.tfvars', 'a/.terraform/modules/m/main.tf', 'a/.terraform.lock.hcl'].some(isTerraformFile),
    ).toBe(false);
  });
});

describe('the module graph', () => {
  const files = {
    'live/prod/main.tf': ROOT,
    'live/prod/versions.tofu': 'module "extra" {\n  source = "./extra"\n}\n',
    'live/prod/extra/main.tf': 'output "x" { value = 1 }\n',
    'live/staging/main.tf': 'module "net" {\n  source = "../../modules/network"\n}\n',
    'modules/network/main.tf': 'module "base" {\n  source = "../base"\n}\n',
    'modules/base/main.tf':
      'module "loop" {\n  source = "../network"\n}\nmodule "out" {\n  source = "../../../x"\n}\n',
    'live/broken/main.tf': 'module "x" {\n',
  };

  it('follows local modules transitively, reading each batch of directories at once', async () => {
    const source = sourceOf(files);
    const graph = await buildModuleGraph(['live/prod', 'live/staging', 'live/broken'], source);
    expect([...moduleClosure(graph, 'live/prod')].sort()).toEqual([
      'live/prod',
      'live/prod/extra',
      'modules/base',
      'modules/network',
    ]);
    expect([...moduleClosure(graph, 'modules/base')].sort()).toEqual(['modules/base', 'modules/network']); // a cycle
    expect(source.reads).toHaveLength(3); // roots, then their modules, then modules of modules
    expect(graph.unreadable).toEqual(new Set(['live/broken']));
    expect(graph.warnings).toContain(
      'Cannot read the modules of live/broken: live/broken/main.tf:1,12: unclosed block: no "}" closes this "{" before the end of the file',
    );
    expect(graph.warnings.join('\n')).toContain(
      'modules/base/main.tf: module "out" source "../../../x" leaves the repository',
    );
  });
});
