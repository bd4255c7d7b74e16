import { mkdir } from 'node:fs/promises';
import { relative } from 'node:path';
import * as core from '@actions/core';
import { DefaultArtifactClient } from '@actions/artifact';
import { actionsSummaryWriter, run } from '@slipway/core';
import {
  generateSbom,
  sbomSummaryMarkdown,
  type ArtifactUploader,
} from '@slipway/supply-chain/syft/generate-sbom';
import { syftSource } from '@slipway/supply-chain/syft/syft-args';
import { installForAction } from '@slipway/supply-chain/tools/action-install';
import { execProgram } from '@slipway/supply-chain/tools/run-program';
import { getInputs } from './inputs.ts';

const uploadArtifact: ArtifactUploader = async (name, files, rootDirectory) => {
  const { id } = await new DefaultArtifactClient().uploadArtifact(name, files, rootDirectory);
  return id;
};

export default () =>
  run(async () => {
    const inputs = getInputs();
    const syft = await installForAction({
      tool: 'syft',
      ...(inputs.version ? { version: inputs.version } : {}),
      allowUnverified: inputs['allow-unverified-tool'],
      ...(inputs['releases-url'] ? { releasesUrl: inputs['releases-url'] } : {}),
    });
    await mkdir(inputs['output-dir'], { recursive: true });
    const result = await generateSbom({
      syft: syft.path,
      run: execProgram,
      source: inputs.source,
      outputs: inputs.outputs,
      ...(inputs['upload-artifact']
        ? {
            upload: {
              name: inputs['artifact-name'],
              rootDirectory: inputs['output-dir'],
              uploader: uploadArtifact,
            },
          }
        : {}),
    });
    core.setOutput('files', result.documents.map((d) => d.path).join('\n'));
    for (const d of result.documents) core.setOutput(`${d.format}-file`, d.path);
    core.setOutput('packages', String(result.documents[0]?.summary.packages ?? 0));
    if (result.artifactId !== undefined) core.setOutput('artifact-id', String(result.artifactId));
    core.setOutput('syft-version', syft.version);
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    await actionsSummaryWriter(
      sbomSummaryMarkdown(syftSource(inputs.source), result, (p) => relative(workspace, p) || p),
    );
  });
