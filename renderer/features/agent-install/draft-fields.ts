import type { Translate } from '../../app/i18n';
import type {
  ClusterDraft,
  DraftErrors,
  DraftField,
  FieldError,
} from '../../stores/agent-install-model';

/** The DOM id of a validated field, so the error summary can link to it and focus it. */
export function fieldDomId(field: DraftField): string {
  return `wizard-${field.replace(/\./g, '-')}`;
}

export function errorText(t: Translate, error: FieldError | undefined): string | undefined {
  return error ? t(error.key, error.params) : undefined;
}

/** What every part of step 2 gets: the draft, the errors to show, and a way to change the draft. */
export interface DraftSectionProps {
  draft: ClusterDraft;
  errors: DraftErrors;
  update(change: (draft: ClusterDraft) => ClusterDraft): void;
}
