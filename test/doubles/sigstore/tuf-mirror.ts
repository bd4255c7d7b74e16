/**
 * A TUF repository on loopback that publishes the Sigstore double's `trusted_root.json` and a
 * `signing_config.v0.2.json` naming its Fulcio and Rekor: what a private Sigstore deployment
 * publishes, and what cosign v3 reads when it is given no service URLs and no trusted root
 * (`cosign sign` with its default `--use-signing-config`, `cosign verify` without
 * `--trusted-root`). A runner is pointed at it the way cosign documents for a private deployment:
 * `TUF_MIRROR` (the repository URL), `TUF_ROOT_JSON` (its initial root.json, the trust anchor)
 * and `TUF_ROOT` (cosign's TUF cache), so a workflow that passes no Sigstore inputs signs and
 * verifies against the double unchanged.
 *
 * Metadata is TUF 1.0 (root, timestamp, snapshot, targets; one ed25519 key for every role,
 * consistent snapshots), built and signed with @tufjs/models. Served under both the consistent
 * (`1.snapshot.json`, `targets/<sha256>.<name>`) and plain names; other versions of root.json
 * answer 404, which ends the client's root update.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalize } from '@tufjs/canonical-json';
import { Metadata, MetadataKind, Signature } from '@tufjs/models';
import type { SigstoreServices } from './sigstore-services.ts';

export interface TufMirror {
  url: string;
  /** The repository's root.json (version 1), as a client is given it out of band. */
  rootPath: string;
  /** Paths requested so far, e.g. `GET /timestamp.json 200`. */
  requests: string[];
  /** The variables that point cosign at this repository, with a TUF cache folder of its own. */
  cosignEnv(cacheDir: string): { TUF_MIRROR: string; TUF_ROOT_JSON: string; TUF_ROOT: string };
  stop(): Promise<void>;
}

const EXPIRES = '2099-01-01T00:00:00Z';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A signing config (v0.2) that sends every signature to the double's Fulcio and Rekor (API v1). */
export function signingConfigFor(sigstore: Pick<SigstoreServices, 'fulcioUrl' | 'rekorUrl'>): object {
  const service = (url: string) => ({
    url,
    majorApiVersion: 1,
    validFor: { start: '2020-01-01T00:00:00Z' },
    operator: 'slipway-sigstore-double',
  });
  return {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service(sigstore.fulcioUrl)],
    oidcUrls: [],
    rekorTlogUrls: [service(sigstore.rekorUrl)],
    rekorTlogConfig: { selector: 'ANY' },
    tsaUrls: [],
    tsaConfig: { selector: 'ANY' },
  };
}

/** Signs `targets` (file name -> content) into a TUF repository and serves it. */
export async function startTufMirror(targets: Record<string, string | Buffer>): Promise<TufMirror> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const key = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: publicHex } };
  const keyId = sha256(Buffer.from(canonicalize(key)));
  const signer = (data: Buffer) =>
    new Signature({ keyID: keyId, sig: sign(null, data, privateKey).toString('hex') });
  const common = { spec_version: '1.0.31', version: 1, expires: EXPIRES };
  const role = { keyids: [keyId], threshold: 1 };

  const files = new Map<string, Buffer>();
  const signed = (kind: MetadataKind, body: object): Buffer => {
    const metadata = Metadata.fromJSON(
      kind as MetadataKind.Root,
      {
        signed: { _type: kind, ...common, ...body },
        signatures: [],
      } as never,
    );
    metadata.sign(signer);
    return Buffer.from(JSON.stringify(metadata.toJSON()));
  };
  const root = signed(MetadataKind.Root, {
    consistent_snapshot: true,
    keys: { [keyId]: key },
    roles: { root: role, targets: role, snapshot: role, timestamp: role },
  });
  const targetFiles: Record<string, object> = {};
  for (const [name, content] of Object.entries(targets)) {
    const body = Buffer.from(content);
    const digest = sha256(body);
    targetFiles[name] = { length: body.length, hashes: { sha256: digest } };
    files.set(`/targets/${name}`, body);
    files.set(`/targets/${digest}.${name}`, body);
  }
  const targetsJson = signed(MetadataKind.Targets, { targets: targetFiles });
  const snapshot = signed(MetadataKind.Snapshot, { meta: { 'targets.json': { version: 1 } } });
  const timestamp = signed(MetadataKind.Timestamp, { meta: { 'snapshot.json': { version: 1 } } });
  for (const [path, body] of [
    ['/root.json', root],
    ['/1.root.json', root],
    ['/targets.json', targetsJson],
    ['/1.targets.json', targetsJson],
    ['/snapshot.json', snapshot],
    ['/1.snapshot.json', snapshot],
    ['/timestamp.json', timestamp],
  ] as const) {
    files.set(path, body);
  }

  const dir = mkdtempSync(join(tmpdir(), 'tuf-mirror-'));
  const rootPath = join(dir, 'root.json');
  writeFileSync(rootPath, root);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://mirror').pathname;
    const body = req.method === 'GET' ? files.get(path) : undefined;
    requests.push(`${req.method} ${path} ${body ? 200 : 404}`);
    if (!body) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    rootPath,
    requests,
    cosignEnv: (cacheDir) => ({ TUF_MIRROR: url, TUF_ROOT_JSON: rootPath, TUF_ROOT: cacheDir }),
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
