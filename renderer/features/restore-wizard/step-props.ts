import type { Server } from '../../../shared/contract/domain';
import type { RestoreWizard } from '../../stores/restore';

/** What every restore step gets: the server restored from, its wizard, the admin's time zone. */
export interface RestoreStepProps {
  server: Server;
  wizard: RestoreWizard;
  zone: string;
}
