import { describe, expect, it } from 'vitest';
import { StorageTargetDraft } from '../../shared/contract/storage';
import type { StorageTarget } from '../../shared/contract/storage';
import { ApiError } from '../../renderer/lib/api-client';
import { createRecoveryKitStore } from '../../renderer/stores/recovery-kit';
import {
  createStorageStore,
  EMPTY_STORAGE_FIELDS,
  fieldsFromTarget,
  isStorageRefusal,
  reportFromError,
  toStorageDraft,
} from '../../renderer/stores/storage';
import { fakeApi, NOW, report, SERVER_ID } from './renderer-fakes';

const fields = {
  ...EMPTY_STORAGE_FIELDS,
  endpoint: ' https://localhost:9000/ ',
  bucket: ' kumiko ',
  region: 'eu-central-1',
  accessKeyId: ' S3RVER ',
  secretAccessKey: ' secret with spaces ',
  ownStorage: true,
  caCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n\n',
};

function target(over: Partial<StorageTarget> = {}): StorageTarget {
  return {
    serverId: SERVER_ID,
    endpoint: 'https://localhost:9000',
    bucket: 'kumiko',
    region: 'eu-central-1',
    ownStorage: true,
    provider: 'own',
    accessKeyHint: 'S3R…VER',
    restoreKeyHint: null,
    report: report(),
    savedAt: NOW,
    ...over,
  };
}

describe('storage draft', () => {
  it('trims what may be trimmed, keeps the secret as typed, and passes the contract', () => {
    const draft = toStorageDraft(fields);
    expect(draft).toEqual({
      endpoint: 'https://localhost:9000',
      bucket: 'kumiko',
      region: 'eu-central-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: ' secret with spaces ',
      ownStorage: true,
      caCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    });
    expect(StorageTargetDraft.safeParse(draft).success).toBe(true);
    expect('caCertificate' in toStorageDraft({ ...fields, caCertificate: '  ' })).toBe(false);
  });

  it('prefills a saved target without any key', () => {
    const f = fieldsFromTarget(target());
    expect(f).toMatchObject({
      endpoint: 'https://localhost:9000',
      bucket: 'kumiko',
      ownStorage: true,
    });
    expect(f.accessKeyId).toBe('');
    expect(f.secretAccessKey).toBe('');
  });

  it('tells refusals from other failures and finds an attached report', () => {
    expect(isStorageRefusal(new ApiError('STORAGE_NOT_EU', 'us-east-1'))).toBe(true);
    expect(isStorageRefusal(new ApiError('STORAGE_TLS_FAILED', 'x'))).toBe(true);
    expect(isStorageRefusal(new ApiError('INTERNAL', 'x'))).toBe(false);
    const r = report({ passed: false, location: null });
    expect(reportFromError(new ApiError('STORAGE_NOT_EU', 'x', r))).toEqual(r);
    expect(reportFromError(new ApiError('STORAGE_NOT_EU', 'x', { report: r }))).toEqual(r);
    expect(reportFromError(new ApiError('STORAGE_NOT_EU', 'x', [{ message: 'x' }]))).toBeNull();
    expect(reportFromError(new ApiError('STORAGE_NOT_EU', 'x'))).toBeNull();
  });
});

describe('storage store', () => {
  it('loads none, saves a target, and keeps load failures per server', async () => {
    let saved: StorageTarget | null = null;
    const { api, calls } = fakeApi({
      'storage.get': () => saved,
      'storage.save': ({ target: t }) => {
        saved = target({ endpoint: t.endpoint });
        return saved;
      },
    });
    const store = createStorageStore(api);
    expect(store.getState().targets[SERVER_ID]).toBeUndefined();
    await store.getState().load(SERVER_ID);
    expect(store.getState().targets[SERVER_ID]).toBeNull();
    const result = await store.getState().save(SERVER_ID, toStorageDraft(fields));
    expect(result.accessKeyHint).toBe('S3R…VER');
    expect(store.getState().targets[SERVER_ID]?.endpoint).toBe('https://localhost:9000');
    expect(calls.at(-1)).toMatchObject({ name: 'storage.save', input: { serverId: SERVER_ID } });
  });

  it('throws a refusal to the caller and saves nothing', async () => {
    const { api } = fakeApi({
      'storage.save': () => {
        throw new ApiError('STORAGE_NOT_EU', 'The bucket is in us-east-1.');
      },
      'storage.get': () => {
        throw new ApiError('INTERNAL', 'not implemented');
      },
    });
    const store = createStorageStore(api);
    await expect(store.getState().save(SERVER_ID, toStorageDraft(fields))).rejects.toMatchObject({
      code: 'STORAGE_NOT_EU',
    });
    expect(store.getState().targets[SERVER_ID]).toBeUndefined();
    await store.getState().load(SERVER_ID);
    expect(store.getState().errors[SERVER_ID]?.code).toBe('INTERNAL');
  });
});

describe('recovery kit store', () => {
  it('exports, then acknowledges exactly the exported file', async () => {
    const sha = 'a'.repeat(64);
    const { api, calls } = fakeApi({
      'recoveryKit.status': () => ({
        exportedAt: null,
        sha256: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
      }),
      'recoveryKit.export': () => ({
        path: '/tmp/kit.pdf',
        textPath: '/tmp/kit.txt',
        sha256: sha,
        exportedAt: NOW,
      }),
      'recoveryKit.acknowledge': () => ({ acknowledgedAt: NOW, acknowledgedBy: 'anna' }),
    });
    const store = createRecoveryKitStore(api);
    await store.getState().load(SERVER_ID);
    expect(store.getState().kits[SERVER_ID]).toMatchObject({
      exportedAt: null,
      busy: null,
      loaded: true,
    });
    // Nothing to acknowledge before an export.
    await store.getState().acknowledge(SERVER_ID);
    expect(calls.some((c) => c.name === 'recoveryKit.acknowledge')).toBe(false);
    await store.getState().exportKit(SERVER_ID);
    expect(store.getState().kits[SERVER_ID]?.file).toEqual({
      path: '/tmp/kit.pdf',
      textPath: '/tmp/kit.txt',
      sha256: sha,
    });
    await store.getState().acknowledge(SERVER_ID);
    expect(calls.at(-1)).toEqual({
      name: 'recoveryKit.acknowledge',
      input: { serverId: SERVER_ID, sha256: sha },
    });
    expect(store.getState().kits[SERVER_ID]).toMatchObject({
      acknowledgedAt: NOW,
      acknowledgedBy: 'anna',
    });
  });

  it('keeps a failed export as an error', async () => {
    const { api } = fakeApi({
      'recoveryKit.export': () => {
        throw new ApiError('AGENT_NOT_INSTALLED', 'Set up backups first.');
      },
    });
    const store = createRecoveryKitStore(api);
    await store.getState().exportKit(SERVER_ID);
    expect(store.getState().kits[SERVER_ID]).toMatchObject({ busy: null, file: null });
    expect(store.getState().kits[SERVER_ID]?.error?.code).toBe('AGENT_NOT_INSTALLED');
  });
});
