import { phrase, type Phrase, type StorageProvider } from '../../../shared/contract';
import { AWS_EU_REGIONS, euRegionsOf, providerName } from './eu-allowlist';

/** What GetBucketLocation said, judged against the provider's EU regions. */
export interface LocationVerdict {
  /** True when the location is acceptable (EU for a provider; anything for own storage). */
  accepted: boolean;
  detail: string;
  /** The detail for the console (docs/i18n.md). */
  words: Phrase[];
}

/**
 * GetBucketLocation's answer as we store it: null when the bucket reports none. An empty
 * LocationConstraint is S3's way of saying us-east-1.
 */
export function normalizeLocation(raw: string | null | undefined): string | null {
  const trimmed = (raw ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Whether a bucket's location counts as EU for its provider. Fail closed: no location, an
 * empty one or us-east-1 is not EU, a region we do not know for that provider is not EU, and
 * an unknown provider is never EU. Own storage: the admin vouches for the location, so it is
 * reported but not judged.
 */
export function judgeLocation(provider: StorageProvider, raw: string | null): LocationVerdict {
  const location = normalizeLocation(raw);
  if (provider === 'own') {
    return {
      accepted: true,
      detail: location
        ? `The bucket reports location ${location}. Own storage: you vouch for where it is.`
        : 'The bucket reports no location. Own storage: you vouch for where it is.',
      words: [
        location
          ? phrase('storage.location.own', { location })
          : phrase('storage.location.ownNone'),
      ],
    };
  }
  if (provider === 'unknown') {
    return {
      accepted: false,
      detail: 'The provider is not on the EU allowlist, so no location counts as EU.',
      words: [phrase('storage.location.unknownProvider')],
    };
  }
  if (location === null || location.toLowerCase() === 'us-east-1') {
    return {
      accepted: false,
      detail: `The bucket reports ${location === null ? 'no location, which S3 means as' : 'location'} us-east-1 (USA), not an EU location. Refused.`,
      words: [
        location === null
          ? phrase('storage.location.noneUsEast')
          : phrase('storage.location.usEast', { location }),
      ],
    };
  }
  const key = location.toLowerCase();
  // AWS's legacy constraint "EU" is eu-west-1 (Ireland).
  const regions = euRegionsOf(provider);
  const place = provider === 'aws' && key === 'eu' ? AWS_EU_REGIONS['eu-west-1'] : regions[key];
  // IONOS reports its Frankfurt region as "de".
  const ionosFrankfurt = provider === 'ionos' && key === 'de' ? 'Frankfurt, Germany' : undefined;
  const where = place ?? ionosFrankfurt;
  if (where === undefined) {
    return {
      accepted: false,
      detail: `The bucket reports location ${location}, which is not a known EU location of ${providerName(provider)}. Refused.`,
      words: [phrase('storage.location.notEu', { location, provider: providerName(provider) })],
    };
  }
  return {
    accepted: true,
    detail: `The bucket is in ${location} (${where}), inside the EU.`,
    words: [phrase('storage.location.eu', { location, place: where })],
  };
}
