import type { ActorInfo } from '../../../shared/contract';
import type { Db } from '../store/database';
import { appOsUser } from '../os-user';

const ACTOR_KEY = 'actor.name';

/**
 * Who the accountability log names beside the OS user: KUMIKO_ACTOR (the CLI's --actor sets
 * it) wins, then the name entered at first start (app_settings), else nobody and the log
 * records the OS user alone.
 */
export class ActorSettings {
  constructor(
    private readonly db: Db,
    private readonly env: () => string | undefined = () => process.env.KUMIKO_ACTOR,
    private readonly osUser: () => string = appOsUser,
  ) {}

  info(): ActorInfo {
    const fromEnv = this.env()?.trim().slice(0, 100);
    if (fromEnv) return { actorName: fromEnv, osUser: this.osUser(), source: 'env' };
    const row = this.db.prepare('SELECT value FROM app_settings WHERE key = ?').get(ACTOR_KEY) as
      { value: string } | undefined;
    return row
      ? { actorName: row.value, osUser: this.osUser(), source: 'settings' }
      : { actorName: null, osUser: this.osUser(), source: 'none' };
  }

  set(actorName: string): ActorInfo {
    this.db
      .prepare(
        'INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(ACTOR_KEY, actorName.trim());
    return this.info();
  }

  /** The pair each entry records; without a name, the OS user stands for both. */
  who(): { osUser: string; actorName: string } {
    const info = this.info();
    return { osUser: info.osUser, actorName: info.actorName ?? info.osUser };
  }
}
