import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/app/i18n/en';
import { de } from '../../renderer/app/i18n/de';
import { ACTION_TABLE } from '../../electron/services/accountability/action-table';
import { ACCOUNTABILITY_ACTIONS } from '../../shared/contract/accountability';
import { commandNames } from '../../shared/contract';

// Every action the log records is worded in both catalogs, and the command table names only
// commands that exist, so the log's page never shows a bare code for an action of this app.
describe('accountability log words', () => {
  it('has a German and an English name for every action code', () => {
    for (const action of ACCOUNTABILITY_ACTIONS) {
      const key = `activity.action.${action}`;
      expect(en[key as keyof typeof en], key).toBeTruthy();
      expect(de[key as keyof typeof de], key).toBeTruthy();
    }
  });

  it('records only commands of the contract', () => {
    for (const name of Object.keys(ACTION_TABLE)) expect(commandNames).toContain(name);
  });
});
