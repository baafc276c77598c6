import { describe, expect, it } from 'vitest';
import { classifyEndpoint, endpointHost } from '../../electron/services/storage/eu-allowlist';
import { judgeLocation, normalizeLocation } from '../../electron/services/storage/eu-location';
import { addressingFor } from '../../electron/services/storage/s3-client';
import { describeS3Error } from '../../electron/services/storage/s3-errors';
import { accessKeyHint } from '../../electron/services/storage/storage-service';

describe('EU endpoint allowlist: accepted', () => {
  it.each([
    ['https://s3.eu-central-1.amazonaws.com', 'aws', 'eu-central-1'],
    ['https://s3.eu-west-1.amazonaws.com', 'aws', 'eu-west-1'],
    ['https://s3.eu-west-3.amazonaws.com', 'aws', 'eu-west-3'],
    ['https://s3.eu-north-1.amazonaws.com', 'aws', 'eu-north-1'],
    ['https://s3.eu-south-1.amazonaws.com', 'aws', 'eu-south-1'],
    ['https://s3.eu-south-2.amazonaws.com', 'aws', 'eu-south-2'],
    ['https://s3.dualstack.eu-central-1.amazonaws.com', 'aws', 'eu-central-1'],
    ['https://my-backups.s3.eu-central-1.amazonaws.com', 'aws', 'eu-central-1'],
    ['https://my.dotted.bucket.s3.eu-west-1.amazonaws.com', 'aws', 'eu-west-1'],
    ['https://S3.EU-CENTRAL-1.AMAZONAWS.COM.', 'aws', 'eu-central-1'],
    ['https://s3.eu-central-1.amazonaws.com:443/', 'aws', 'eu-central-1'],
    ['https://fsn1.your-objectstorage.com', 'hetzner', 'fsn1'],
    ['https://nbg1.your-objectstorage.com', 'hetzner', 'nbg1'],
    ['https://hel1.your-objectstorage.com', 'hetzner', 'hel1'],
    ['https://kumiko.fsn1.your-objectstorage.com', 'hetzner', 'fsn1'],
    ['https://s3.eu-central-1.ionoscloud.com', 'ionos', 'eu-central-1'],
    ['https://s3-eu-central-1.ionoscloud.com', 'ionos', 'eu-central-1'],
    ['https://s3-eu-central-2.ionoscloud.com', 'ionos', 'eu-central-2'],
    ['https://s3.eu-central-3.ionoscloud.com', 'ionos', 'eu-central-3'],
    ['https://s3.gra.io.cloud.ovh.net', 'ovhcloud', 'gra'],
    ['https://s3.sbg.io.cloud.ovh.net', 'ovhcloud', 'sbg'],
    ['https://s3.rbx.io.cloud.ovh.net', 'ovhcloud', 'rbx'],
    ['https://s3.de.io.cloud.ovh.net', 'ovhcloud', 'de'],
    ['https://s3.waw.io.cloud.ovh.net', 'ovhcloud', 'waw'],
    ['https://s3.eu-west-par.io.cloud.ovh.net', 'ovhcloud', 'eu-west-par'],
    ['https://s3.gra.cloud.ovh.net', 'ovhcloud', 'gra'],
    ['https://s3.gra.perf.cloud.ovh.net', 'ovhcloud', 'gra'],
    ['https://s3.fr-par.scw.cloud', 'scaleway', 'fr-par'],
    ['https://s3.nl-ams.scw.cloud', 'scaleway', 'nl-ams'],
    ['https://s3.pl-waw.scw.cloud', 'scaleway', 'pl-waw'],
    ['https://kumiko.s3.fr-par.scw.cloud', 'scaleway', 'fr-par'],
  ])('%s → %s %s', (endpoint, provider, region) => {
    const c = classifyEndpoint(endpoint);
    expect(c).toMatchObject({ provider, region, eu: true, publicCloud: true });
    expect(c.reason).toContain('inside the EU');
  });
});

describe('EU endpoint allowlist: refused even as own storage (known non-EU)', () => {
  it.each([
    ['https://s3.us-east-1.amazonaws.com', 'aws', /us-east-1, which is not a known EU region/],
    ['https://s3.us-west-2.amazonaws.com', 'aws', /not a known EU region/],
    ['https://s3.dualstack.ap-southeast-1.amazonaws.com', 'aws', /not a known EU region/],
    ['https://bucket.s3.us-east-1.amazonaws.com', 'aws', /us-east-1/],
    ['https://s3.amazonaws.com', 'aws', /not one of its regional S3 endpoints/],
    ['https://bucket.s3.amazonaws.com', 'aws', /not one of its regional S3 endpoints/],
    ['https://s3-eu-central-1.amazonaws.com', 'aws', /not one of its regional S3 endpoints/],
    ['https://s3.eu-west-2.amazonaws.com', 'aws', /London, United Kingdom\), outside the EU/],
    ['https://s3.eu-central-2.amazonaws.com', 'aws', /Zurich, Switzerland\), outside the EU/],
    ['https://s3.eu-west-9.amazonaws.com', 'aws', /not a known EU region/],
    ['https://s3.bhs.io.cloud.ovh.net', 'ovhcloud', /Beauharnois, Canada\), outside the EU/],
    ['https://s3.bhs.cloud.ovh.net', 'ovhcloud', /Canada/],
    ['https://s3.uk.io.cloud.ovh.net', 'ovhcloud', /United Kingdom/],
    ['https://s3.ca-east-tor.io.cloud.ovh.net', 'ovhcloud', /Canada/],
    ['https://storage.gra.cloud.ovh.net', 'ovhcloud', /not one of its regional S3 endpoints/],
    ['https://ash1.your-objectstorage.com', 'hetzner', /not a known EU region/],
    ['https://s3.us-central-1.ionoscloud.com', 'ionos', /not a known EU region/],
    ['https://api.ionoscloud.com', 'ionos', /not one of its regional S3 endpoints/],
    ['https://s3.us-east.scw.cloud', 'scaleway', /not a known EU region/],
  ])('%s → refused (%s)', (endpoint, provider, reason) => {
    const c = classifyEndpoint(endpoint);
    expect(c).toMatchObject({ provider, eu: false, publicCloud: true });
    expect(c.reason).toMatch(reason);
    expect(c.reason).toContain(endpointHost(endpoint));
  });

  it.each([
    'https://storage.googleapis.com',
    'https://account.blob.core.windows.net',
    'https://s3.eu-central-003.backblazeb2.com',
    'https://s3.eu-central-1.wasabisys.com',
    'https://fra1.digitaloceanspaces.com',
    'https://abc.r2.cloudflarestorage.com',
    'https://s3.cn-north-1.amazonaws.com.cn',
    'https://s3.us-east-va.io.cloud.ovh.us',
  ])('%s is a public cloud off the allowlist: never own storage', (endpoint) => {
    expect(classifyEndpoint(endpoint)).toMatchObject({
      provider: 'unknown',
      eu: false,
      publicCloud: true,
    });
  });
});

describe('EU endpoint allowlist: unknown hosts (allowed only as own storage)', () => {
  it.each([
    'https://localhost:9000',
    'https://127.0.0.1:9000',
    'https://[::1]:9000',
    'https://minio.intern.example.de',
    'https://ceph-rgw.corp.local',
    // Look-alikes of allowlisted hosts are not the provider.
    'https://s3.eu-central-1.amazonaws.com.evil.example',
    'https://s3.eu-central-1.notamazonaws.com',
    'https://fsn1.your-objectstorage.com.example.net',
    'https://s3.fr-par.scw.cloud.example',
    'https://evil-amazonaws.com',
  ])('%s → unknown', (endpoint) => {
    const c = classifyEndpoint(endpoint);
    expect(c).toMatchObject({ provider: 'unknown', eu: false, publicCloud: false });
    expect(c.reason).toMatch(/not on the EU allowlist.*own storage/);
  });

  it('an invalid URL is refused outright', () => {
    expect(classifyEndpoint('not a url')).toMatchObject({
      provider: 'unknown',
      eu: false,
      publicCloud: true,
    });
  });
});

describe('bucket location rule (GetBucketLocation), fail closed', () => {
  it.each([
    ['aws', 'eu-central-1'],
    ['aws', 'eu-west-1'],
    ['aws', 'EU'],
    ['aws', 'eu-north-1'],
    ['hetzner', 'fsn1'],
    ['hetzner', 'hel1'],
    ['ionos', 'de'],
    ['ionos', 'eu-central-2'],
    ['ovhcloud', 'gra'],
    ['ovhcloud', 'GRA'],
    ['ovhcloud', 'waw'],
    ['scaleway', 'fr-par'],
    ['scaleway', 'nl-ams'],
  ] as const)('%s %s → EU', (provider, location) => {
    const verdict = judgeLocation(provider, location);
    expect(verdict.accepted).toBe(true);
    expect(verdict.detail).toContain('inside the EU');
  });

  it.each([
    ['aws', null],
    ['aws', ''],
    ['aws', '   '],
    ['aws', 'us-east-1'],
    ['aws', 'US-EAST-1'],
    ['aws', 'us-west-2'],
    ['aws', 'eu-west-2'],
    ['aws', 'eu-central-2'],
    ['hetzner', null],
    ['hetzner', 'ash'],
    ['ionos', ''],
    ['ovhcloud', 'bhs'],
    ['ovhcloud', 'uk'],
    ['scaleway', 'us-east-1'],
    // Another provider's EU region name is not this provider's.
    ['hetzner', 'eu-central-1'],
    ['scaleway', 'gra'],
    // Unknown providers never pass, whatever the bucket claims.
    ['unknown', 'eu-central-1'],
    ['unknown', null],
  ] as const)('%s %s → refused', (provider, location) => {
    expect(judgeLocation(provider, location).accepted).toBe(false);
  });

  it('no location is read as us-east-1 and said so', () => {
    expect(normalizeLocation(undefined)).toBeNull();
    expect(normalizeLocation('')).toBeNull();
    expect(judgeLocation('aws', null).detail).toMatch(/no location.*us-east-1 \(USA\)/);
  });

  it('own storage: the location is reported, not judged', () => {
    expect(judgeLocation('own', null)).toMatchObject({ accepted: true });
    expect(judgeLocation('own', 'us-east-1')).toMatchObject({ accepted: true });
    expect(judgeLocation('own', 'dc-munich').detail).toContain('dc-munich');
  });
});

describe('S3 error classification', () => {
  const http = (name: string, status: number) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  const sys = (code: string) => Object.assign(new Error(code), { code });

  it.each([
    [sys('SELF_SIGNED_CERT_IN_CHAIN'), 'tls'],
    [sys('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls'],
    [sys('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
    [sys('CERT_HAS_EXPIRED'), 'tls'],
    [sys('ECONNREFUSED'), 'unreachable'],
    [sys('ENOTFOUND'), 'unreachable'],
    [Object.assign(new Error('x'), { cause: sys('ETIMEDOUT') }), 'unreachable'],
    [new AggregateError([sys('ECONNREFUSED')]), 'unreachable'],
    [Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'unreachable'],
    [http('AccessDenied', 403), 'denied'],
    [http('SignatureDoesNotMatch', 403), 'denied'],
    [http('Forbidden', 403), 'denied'],
    [http('NoSuchBucket', 404), 'noSuchBucket'],
    [http('NotFound', 404), 'notFound'],
    [http('ServiceUnavailable', 503), 'unreachable'],
    [http('NotImplemented', 501), 'other'],
  ])('%s → %s', (err, kind) => {
    expect(describeS3Error(err).kind).toBe(kind);
  });
});

it('access key hint: first 4 and last 2 characters', () => {
  expect(accessKeyHint('S3RVER')).toBe('S3RV…ER');
  expect(accessKeyHint('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…LE');
});

describe('bucket addressing per provider', () => {
  it.each([
    ['https://s3.eu-central-1.amazonaws.com', 'https://s3.eu-central-1.amazonaws.com', false],
    [
      'https://kumiko.s3.eu-central-1.amazonaws.com',
      'https://s3.eu-central-1.amazonaws.com',
      false,
    ],
    [
      'https://my.bucket.s3.dualstack.eu-west-1.amazonaws.com',
      'https://s3.dualstack.eu-west-1.amazonaws.com',
      false,
    ],
    ['https://fsn1.your-objectstorage.com', 'https://fsn1.your-objectstorage.com', true],
    ['https://s3.fr-par.scw.cloud', 'https://s3.fr-par.scw.cloud', true],
    ['https://minio.intern.example.de:9000', 'https://minio.intern.example.de:9000', true],
  ])('%s → %s (path style %s)', (endpoint, expected, forcePathStyle) => {
    expect(addressingFor(endpoint)).toEqual({ endpoint: expected, forcePathStyle });
  });
});
