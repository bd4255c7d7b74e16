import { mkdir } from 'node:fs/promises';
import { relative } from 'node:path';
import * as core from '@actions/core';
import { actionsCoreMask, actionsSummaryWriter, run } from '@slipway/core';
import { getInputs } from './inputs.ts';

const REGISTRY_TIMEOUT_MS = 60_000;

export default () =>
  run(async () => {
    const inputs = getInputs();
    // the registry client, syft and its installer load only once the inputs are valid
    const { imageIndexTargets, openImage } = await import('@slipway/supply-chain/registry');
    const {
      artifactSummaryLine,
      artifactUploader,
      generateSbom,
      registryImageRef,
      sbomPlatformsOutput,
      sbomSummaryMarkdown,
      syftSource,
      uploadSbomArtifact,
    } = await import('@slipway/supply-chain/syft');
    const { execProgram, installForAction } = await import('@slipway/supply-chain/tools');
    // refuses GHES or a job without the artifact service now; masks the runtime token (the runner does too)
    const uploader = inputs['upload-artifact']
      ? artifactUploader(process.env, { mask: actionsCoreMask, log: (line) => core.info(line) })
      : undefined;
    // an image index gets one SBOM per platform image: looked up before syft is installed
    const registryRef = inputs.source.kind === 'image' ? registryImageRef(inputs.source.ref) : undefined;
    const index = registryRef
      ? await imageIndexTargets(registryRef.ref, inputs.platforms, {
          open: (reference) =>
            openImage(reference, {
              timeoutMs: REGISTRY_TIMEOUT_MS,
              mask: actionsCoreMask,
              ...(inputs.platforms === 'all' ? { retry: { maxAttempts: 2 } } : {}),
            }),
          log: { info: (line) => core.info(line), notice: (line) => core.notice(line) },
          input: 'image',
        })
      : undefined;
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
      ...(index ? { index: { targets: index.targets, scheme: registryRef!.scheme } } : {}),
    });
    const files = result.documents.map((d) => d.path);
    core.setOutput('files', files.join('\n'));
    for (const { format } of inputs.outputs)
      core.setOutput(
        `${format}-file`,
        result.documents
          .filter((d) => d.format === format)
          .map((d) => d.path)
          .join('\n'),
      );
    if (index) core.setOutput('platforms', JSON.stringify(sbomPlatformsOutput(result)));
    core.setOutput('packages', String(result.documents[0]?.summary.packages ?? 0));
    core.setOutput('syft-version', syft.version);
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    await actionsSummaryWriter(
      sbomSummaryMarkdown(syftSource(inputs.source), result, (p) => relative(workspace, p) || p),
    );
    if (!uploader) return;
    // after the files, outputs and summary exist: a failed upload leaves them for later steps
    const name = inputs['artifact-name'];
    const id = await uploadSbomArtifact({ name, rootDirectory: inputs['output-dir'], uploader }, files);
    if (id !== undefined) core.setOutput('artifact-id', String(id));
    await actionsSummaryWriter(artifactSummaryLine(name, id));
  });
