import { generateKeyPairSync } from 'node:crypto';
import { initializeTLog } from '@sigstore/mock';
import { describe, expect, it } from 'vitest';
import { parseEntryResponse, parseIndexResponse } from './rekor-client.ts';

const uuid64 = 'ab'.repeat(32);
const entryId80 = '24296fb24b8ad77a' + uuid64;

/** What GET /api/v1/log/entries/{uuid} answers, from @sigstore/mock's Rekor (Rekor's wire shape). */
async function rekorAnswer(): Promise<{ uuid: string; json: Record<string, Record<string, unknown>> }> {
  const tlog = await initializeTLog(
    'http://rekor.test',
    generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
  );
  const response = await tlog.log({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: {} });
  const json = JSON.parse(JSON.stringify(response)) as Record<string, Record<string, unknown>>;
  return { uuid: Object.keys(json)[0]!, json };
}

describe('parseIndexResponse', () => {
  it('returns the entry UUIDs (64 hex) and entry IDs (80 hex), lower-cased', () => {
    expect(parseIndexResponse([uuid64.toUpperCase(), entryId80])).toEqual([uuid64, entryId80]);
    expect(parseIndexResponse([])).toEqual([]);
  });
  it.each([
    [{ uuids: [] }, 'unexpected Rekor response: the index answer is not an array'],
    [['abc'], "unexpected Rekor response: 'abc' is not an entry UUID"],
    [[42], "unexpected Rekor response: '42' is not an entry UUID"],
  ])('rejects %j', (json, message) => {
    expect(() => parseIndexResponse(json)).toThrow(message);
  });
});

describe('parseEntryResponse', () => {
  it('reads every field of a real-shaped entry', async () => {
    const { uuid, json } = await rekorAnswer();
    const raw = json[uuid]! as {
      body: string;
      integratedTime: number;
      logID: string;
      logIndex: number;
      verification: {
        signedEntryTimestamp: string;
        inclusionProof: { rootHash: string; checkpoint: string; treeSize: number; logIndex: number };
      };
    };
    expect(parseEntryResponse(json, uuid)).toEqual({
      uuid,
      body: raw.body,
      integratedTime: raw.integratedTime,
      logID: raw.logID,
      logIndex: raw.logIndex,
      signedEntryTimestamp: raw.verification.signedEntryTimestamp,
      inclusionProof: {
        logIndex: 0,
        rootHash: raw.verification.inclusionProof.rootHash,
        treeSize: 1,
        hashes: [],
        checkpoint: raw.verification.inclusionProof.checkpoint,
      },
    });
  });

  it('finds the entry keyed by its 80-hex entry ID when asked by the 64-hex UUID, and the other way round', async () => {
    const { uuid, json } = await rekorAnswer();
    const byId = { [`24296fb24b8ad77a${uuid}`]: json[uuid] };
    expect(parseEntryResponse(byId, uuid).uuid).toBe(`24296fb24b8ad77a${uuid}`);
    expect(parseEntryResponse(json, `24296fb24b8ad77a${uuid}`).uuid).toBe(uuid);
  });

  it('keeps an entry without an inclusion proof (older entries carry only the SET)', async () => {
    const { uuid, json } = await rekorAnswer();
    delete (json[uuid]!.verification as Record<string, unknown>).inclusionProof;
    expect(parseEntryResponse(json, uuid).inclusionProof).toBeUndefined();
  });

  it.each([
    [
      'another entry',
      (j: Record<string, Record<string, unknown>>, u: string) => ({ [uuid64]: j[u] }),
      'no entry keyed',
    ],
    [
      'no SET',
      (j: Record<string, Record<string, unknown>>, u: string) => ({ [u]: { ...j[u], verification: {} } }),
      'verification.signedEntryTimestamp is not base64',
    ],
    [
      'a fractional logIndex',
      (j: Record<string, Record<string, unknown>>, u: string) => ({ [u]: { ...j[u], logIndex: 1.5 } }),
      'logIndex is not an integer',
    ],
    [
      'a short logID',
      (j: Record<string, Record<string, unknown>>, u: string) => ({ [u]: { ...j[u], logID: 'abcd' } }),
      'logID is not a hex sha256',
    ],
    ['an array', () => [], 'the entry answer is not an object'],
  ])('rejects an answer with %s', async (_name, mutate, message) => {
    const { uuid, json } = await rekorAnswer();
    expect(() => parseEntryResponse(mutate(json, uuid), uuid)).toThrow(
      `unexpected Rekor response: ${message}`,
    );
  });
});
