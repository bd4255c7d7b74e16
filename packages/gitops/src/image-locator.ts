/**
 * Where an image's version lives in an ops-repo file, for reading it back from the file's history
 * (rollback) and writing it again with image-bump: a kustomization's `images` entry (by name), or a
 * Helm values key holding `repository`, `tag` and `digest` (and `registry` in charts that keep the
 * domain apart), as image-bump writes them. The file decides which, as for image-bump: a
 * kustomization by name or by `kind: Kustomization` content, anything else is Helm values.
 */
import { isMap, isScalar, stringify } from 'yaml';
import { UserError } from '@slipway/core';
import {
  isKustomizationContent,
  isKustomizationPath,
  readKustomizeImage,
  type ImageFields,
} from './kustomize-edit.ts';
import { formatValuePath, type PathSegment } from './value-path.ts';
import { YamlSource } from './yaml-source.ts';

export type ImageLocator =
  { kind: 'kustomize'; image: string } | { kind: 'helm'; key: readonly PathSegment[] };

/** What a locator reads from a file at one commit: the version (`digest`, else `newTag`) and how to restore it. */
export type ImageReader = (file: string, text: string) => ImageFields | undefined;

/**
 * The locator for `file` with `text` (the newest version): `image` names the kustomize entry;
 * `key` is the Helm values key. A kustomization without `image` is a UserError naming the input.
 */
export function locatorFor(
  file: string,
  text: string,
  options: { image?: string; key: readonly PathSegment[] },
): ImageLocator {
  if (isKustomizationPath(file) || isKustomizationContent(text)) {
    if (!options.image)
      throw new UserError(
        `Input 'image' is required: ${file} is a kustomization, so the \`images\` entry's name says which image to read.`,
      );
    return { kind: 'kustomize', image: options.image };
  }
  return { kind: 'helm', key: options.key };
}

/** Reads the image at the locator; undefined when the entry (or the values key) is not there. */
export function readerFor(locator: ImageLocator): ImageReader {
  return locator.kind === 'kustomize'
    ? (file, text) => readKustomizeImage(file, text, locator.image)
    : (file, text) => readHelmImage(file, text, locator.key);
}

/**
 * The Helm image under `key` as image-bump writes it, in kustomize's terms: `newName` is the
 * repository (with `registry/` in front when the chart keeps the domain apart), `newTag` the tag.
 * Empty values count as absent (charts ship `digest: ""`). Undefined when the key holds no mapping
 * or none of the fields.
 */
export function readHelmImage(
  file: string,
  text: string,
  key: readonly PathSegment[],
): ImageFields | undefined {
  const source = YamlSource.parse(file, text);
  const node = source.doc.getIn([...key], true);
  if (!isMap(node)) return undefined;
  const value = (field: string): string | undefined => {
    const scalar = node.get(field, true);
    if (!isScalar(scalar)) return undefined;
    const read = source.stringValue(scalar);
    return read === '' ? undefined : read;
  };
  const registry = value('registry');
  const repository = value('repository');
  const fields: ImageFields = {};
  if (repository) fields.newName = registry ? `${registry}/${repository}` : repository;
  const tag = value('tag');
  if (tag) fields.newTag = tag;
  const digest = value('digest');
  if (digest) fields.digest = digest;
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/**
 * image-bump's `changes` input (YAML) that puts the image back as it was at the target: for a
 * kustomization, the entry whole (`name[=newName][:newTag][@digest]`); for Helm values, the image
 * reference under `key`, plus an empty value for a tag or digest the head has and the target had not
 * (image-bump's image form only sets keys, it never clears one).
 */
export function restoreChanges(
  file: string,
  locator: ImageLocator,
  head: ImageFields | undefined,
  target: ImageFields,
): string {
  if (locator.kind === 'kustomize') {
    return stringify([{ file, image: restoreImageSpec(locator.image, target) }]);
  }
  const name = target.newName ?? head?.newName;
  if (!name)
    throw new UserError(
      `${file}: \`${formatValuePath([...locator.key, 'repository'])}\` is not set, so there is no image reference to restore.`,
      { hint: 'Roll back by hand, or give the chart its repository in the values file.' },
    );
  const reference = `${name}${target.newTag ? `:${target.newTag}` : ''}${target.digest ? `@${target.digest}` : ''}`;
  const changes: Record<string, string>[] = [{ file, image: reference, key: formatValuePath(locator.key) }];
  for (const [field, field2] of [
    ['tag', 'newTag'],
    ['digest', 'digest'],
  ] as const) {
    if (head?.[field2] && !target[field2])
      changes.push({ file, path: formatValuePath([...locator.key, field]), value: '' });
  }
  return stringify(changes);
}

/**
 * The image-bump `image` argument that restores a kustomize entry exactly as it was:
 * `name[=newName][:newTag][@digest]`; a field the entry did not have is dropped
 * (image-bump replaces the entry whole).
 */
export function restoreImageSpec(name: string, fields: ImageFields): string {
  return `${name}${fields.newName ? `=${fields.newName}` : ''}${fields.newTag ? `:${fields.newTag}` : ''}${
    fields.digest ? `@${fields.digest}` : ''
  }`;
}
