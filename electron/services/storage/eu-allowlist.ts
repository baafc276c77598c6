/**
 * Which S3 endpoints count as EU storage, decided from the endpoint's host name alone.
 * Fail closed: a host is EU only when it matches a known provider's endpoint pattern for a
 * region that lies inside the European Union. Everything else is either a known non-EU
 * endpoint (refused even when marked as own storage) or unknown (refused unless the admin
 * marks it as their own storage).
 */

/** Providers whose public endpoints we recognise. */
export type KnownProvider = 'aws' | 'hetzner' | 'ionos' | 'ovhcloud' | 'scaleway';

export interface EndpointClassification {
  /** Lower-case host name of the endpoint, without a trailing dot. */
  host: string;
  /** The recognised provider, or 'unknown' for any other host (on-prem, other clouds). */
  provider: KnownProvider | 'unknown';
  /** The provider region the host names (eu-central-1, fsn1, gra …), when there is one. */
  region: string | null;
  /** True only for a known provider's endpoint in an EU region. */
  eu: boolean;
  /**
   * True for hosts that belong to a public cloud (allowlisted provider or not): those can never
   * be "own storage", so the own-storage flag does not lift a refusal.
   */
  publicCloud: boolean;
  /** Why, in a sentence for the admin. */
  reason: string;
}

/** A classifier; the service takes one so tests can classify the harness host differently. */
export type ClassifyEndpoint = (endpoint: string) => EndpointClassification;

/**
 * AWS regions inside the EU. Deliberately an explicit list, not `eu-*`: eu-west-2 is London
 * (United Kingdom) and eu-central-2 is Zurich (Switzerland), neither in the EU, and a future
 * eu-* region is not EU until someone checks where it is.
 */
export const AWS_EU_REGIONS: Readonly<Record<string, string>> = {
  'eu-central-1': 'Frankfurt, Germany',
  'eu-west-1': 'Ireland',
  'eu-west-3': 'Paris, France',
  'eu-north-1': 'Stockholm, Sweden',
  'eu-south-1': 'Milan, Italy',
  'eu-south-2': 'Spain',
};

/** AWS regions named eu-* that are outside the EU, with where they are. */
const AWS_EU_NAMED_OUTSIDE_EU: Readonly<Record<string, string>> = {
  'eu-west-2': 'London, United Kingdom',
  'eu-central-2': 'Zurich, Switzerland',
};

export const HETZNER_EU_REGIONS: Readonly<Record<string, string>> = {
  fsn1: 'Falkenstein, Germany',
  nbg1: 'Nuremberg, Germany',
  hel1: 'Helsinki, Finland',
};

export const IONOS_EU_REGIONS: Readonly<Record<string, string>> = {
  'eu-central-1': 'Frankfurt, Germany',
  'eu-central-2': 'Berlin, Germany',
  'eu-central-3': 'Berlin, Germany',
  'eu-south-2': 'Logroño, Spain',
};

export const OVH_EU_REGIONS: Readonly<Record<string, string>> = {
  gra: 'Gravelines, France',
  sbg: 'Strasbourg, France',
  rbx: 'Roubaix, France',
  'eu-west-par': 'Paris, France',
  de: 'Frankfurt, Germany',
  waw: 'Warsaw, Poland',
  'eu-south-mil': 'Milan, Italy',
};

/** OVHcloud regions outside the EU, named so the refusal can say where they are. */
const OVH_OUTSIDE_EU: Readonly<Record<string, string>> = {
  bhs: 'Beauharnois, Canada',
  'ca-east-tor': 'Toronto, Canada',
  uk: 'London, United Kingdom',
  sgp: 'Singapore',
  syd: 'Sydney, Australia',
  'ap-southeast-sgp': 'Singapore',
  'ap-southeast-syd': 'Sydney, Australia',
  'ap-south-mum': 'Mumbai, India',
};

export const SCALEWAY_EU_REGIONS: Readonly<Record<string, string>> = {
  'fr-par': 'Paris, France',
  'nl-ams': 'Amsterdam, Netherlands',
  'pl-waw': 'Warsaw, Poland',
};

const PROVIDER_NAMES: Record<KnownProvider, string> = {
  aws: 'AWS',
  hetzner: 'Hetzner',
  ionos: 'IONOS',
  ovhcloud: 'OVHcloud',
  scaleway: 'Scaleway',
};

// An optional virtual-hosted bucket prefix ("<bucket>.") in front of a provider host.
const BUCKET = '(?:[a-z0-9][a-z0-9.-]*\\.)?';

interface ProviderRule {
  provider: KnownProvider;
  /** Matches the provider's S3 endpoint host; the `region` group names the region. */
  pattern: RegExp;
  /** Any host of the provider's domain, matched or not: these are public cloud hosts. */
  domain: RegExp;
  euRegions: Readonly<Record<string, string>>;
  outsideEu?: Readonly<Record<string, string>>;
}

const RULES: ProviderRule[] = [
  {
    provider: 'aws',
    pattern: new RegExp(`^${BUCKET}s3\\.(?:dualstack\\.)?(?<region>[a-z0-9-]+)\\.amazonaws\\.com$`),
    domain: /(^|\.)amazonaws\.com$/,
    euRegions: AWS_EU_REGIONS,
    outsideEu: AWS_EU_NAMED_OUTSIDE_EU,
  },
  {
    provider: 'hetzner',
    pattern: new RegExp(`^${BUCKET}(?<region>[a-z0-9-]+)\\.your-objectstorage\\.com$`),
    domain: /(^|\.)your-objectstorage\.com$/,
    euRegions: HETZNER_EU_REGIONS,
  },
  {
    provider: 'ionos',
    pattern: new RegExp(`^${BUCKET}s3[.-](?<region>[a-z0-9-]+)\\.ionoscloud\\.com$`),
    domain: /(^|\.)ionoscloud\.com$/,
    euRegions: IONOS_EU_REGIONS,
  },
  {
    provider: 'ovhcloud',
    pattern: new RegExp(
      `^${BUCKET}s3\\.(?<region>[a-z0-9-]+)\\.(?:io\\.|perf\\.)?cloud\\.ovh\\.net$`,
    ),
    domain: /(^|\.)ovh\.net$/,
    euRegions: OVH_EU_REGIONS,
    outsideEu: OVH_OUTSIDE_EU,
  },
  {
    provider: 'scaleway',
    pattern: new RegExp(`^${BUCKET}s3\\.(?<region>[a-z0-9-]+)\\.scw\\.cloud$`),
    domain: /(^|\.)scw\.cloud$/,
    euRegions: SCALEWAY_EU_REGIONS,
  },
];

/**
 * Public clouds that are not on the allowlist. Their hosts are refused even when marked as
 * own storage: "own storage" is for endpoints the admin operates, not a way around the list.
 */
const OTHER_PUBLIC_CLOUDS =
  /(^|\.)(amazonaws\.com\.cn|amazonaws\.eu|ovh\.us|ovh\.ca|googleapis\.com|windows\.net|backblazeb2\.com|wasabisys\.com|digitaloceanspaces\.com|cloudflarestorage\.com|linodeobjects\.com|aliyuncs\.com)$/;

export const ALLOWLIST_SUMMARY =
  'AWS EU regions, Hetzner (fsn1, nbg1, hel1), IONOS, OVHcloud EU regions, Scaleway (fr-par, nl-ams, pl-waw)';

/** Lower-case host of an endpoint URL without a trailing dot; '' when it is no URL. */
export function endpointHost(endpoint: string): string {
  try {
    return new URL(endpoint).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return '';
  }
}

/** The production classifier: strict, from the host name alone. */
export function classifyEndpoint(endpoint: string): EndpointClassification {
  const host = endpointHost(endpoint);
  if (!host) {
    return unknown(host, true, 'The endpoint is not a valid URL.');
  }
  for (const rule of RULES) {
    if (!rule.domain.test(host)) continue;
    const name = PROVIDER_NAMES[rule.provider];
    const region = rule.pattern.exec(host)?.groups?.region ?? null;
    if (region === null) {
      return {
        host,
        provider: rule.provider,
        region: null,
        eu: false,
        publicCloud: true,
        reason: `${host} is a ${name} host but not one of its regional S3 endpoints, so its region cannot be told from the name.`,
      };
    }
    const euPlace = rule.euRegions[region];
    if (euPlace !== undefined) {
      return {
        host,
        provider: rule.provider,
        region,
        eu: true,
        publicCloud: true,
        reason: `${host} is ${name} region ${region} (${euPlace}), inside the EU.`,
      };
    }
    const outside = rule.outsideEu?.[region];
    return {
      host,
      provider: rule.provider,
      region,
      eu: false,
      publicCloud: true,
      reason: outside
        ? `${host} is ${name} region ${region} (${outside}), outside the EU.`
        : `${host} is ${name} region ${region}, which is not a known EU region of ${name}.`,
    };
  }
  if (OTHER_PUBLIC_CLOUDS.test(host)) {
    return unknown(
      host,
      true,
      `${host} belongs to a public cloud that is not on the EU allowlist (${ALLOWLIST_SUMMARY}).`,
    );
  }
  return unknown(
    host,
    false,
    `${host} is not on the EU allowlist (${ALLOWLIST_SUMMARY}). If it is storage you operate yourself (on-prem MinIO, Ceph …), mark it as your own storage.`,
  );
}

function unknown(host: string, publicCloud: boolean, reason: string): EndpointClassification {
  return { host, provider: 'unknown', region: null, eu: false, publicCloud, reason };
}

export function providerName(provider: KnownProvider): string {
  return PROVIDER_NAMES[provider];
}

/** The EU regions of a provider, keyed by region name, for the location rule. */
export function euRegionsOf(provider: KnownProvider): Readonly<Record<string, string>> {
  const rule = RULES.find((r) => r.provider === provider);
  return rule ? rule.euRegions : {};
}
