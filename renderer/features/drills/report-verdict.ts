import type { ReportVerification } from '../../../shared/contract/reports';
import type { MessageKey } from '../../app/i18n';
import { hasMessage } from '../../app/i18n';
import type { Tone } from '../../components/StatusBadge';

/** A verification's verdict: badge tone and the catalog keys of its badge and sentence. */
export function verdictOf(status: ReportVerification['status']): {
  tone: Tone;
  badge: MessageKey;
  sentence: MessageKey;
} {
  switch (status) {
    case 'valid':
      return { tone: 'ok', badge: 'verify.badge.valid', sentence: 'verify.verdict.valid' };
    case 'untrusted-signer':
      return {
        tone: 'warn',
        badge: 'verify.badge.untrusted',
        sentence: 'verify.verdict.untrusted',
      };
    case 'invalid':
      return { tone: 'danger', badge: 'verify.badge.invalid', sentence: 'verify.verdict.invalid' };
  }
}

/** One finding for people: which file failed (when known) and the catalog key for why. */
export interface Finding {
  file: string | null;
  key: MessageKey;
  code: string;
}

/**
 * Every finding of a verification, in the order the verifier reports them: the bundles', the
 * chains', then those outside any bundle. The file is named relative to the picked zip.
 */
export function findingsOf(result: ReportVerification): Finding[] {
  const word = (code: string): MessageKey => {
    const key = `verify.problem.${code}`;
    return hasMessage(key) ? key : 'verify.problem.other';
  };
  const findings: Finding[] = [];
  for (const bundle of result.bundles) {
    for (const p of bundle.problems) {
      const file = p.file ? `${bundle.location}/${p.file}` : bundle.location;
      findings.push({ file, key: word(p.code), code: p.code });
    }
  }
  for (const chain of result.chains) {
    for (const p of chain.problems)
      findings.push({ file: p.drillId, key: word(p.code), code: p.code });
  }
  for (const p of result.problems) {
    findings.push({ file: p.file ?? null, key: word(p.code), code: p.code });
  }
  return findings;
}

/** Strips `data:…;base64,` from a FileReader data URL. */
export function base64OfDataUrl(url: string): string {
  const comma = url.indexOf(',');
  return comma < 0 ? '' : url.slice(comma + 1);
}
