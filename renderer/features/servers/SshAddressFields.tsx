import { useT, type MessageKey } from '../../app/i18n';
import { Field } from '../../components/Field';

/** Host, SSH port and user of a server, one row: adding a server and editing its address. */
export function SshAddressFields(props: {
  host: string;
  port: string;
  user: string;
  onHost: (value: string) => void;
  onPort: (value: string) => void;
  onUser: (value: string) => void;
  /** The labels of host and user (adding says more than editing). */
  hostLabel: MessageKey;
  userLabel: MessageKey;
}) {
  const t = useT();
  return (
    <div className="form__row">
      <Field
        label={t(props.hostLabel)}
        value={props.host}
        onChange={(e) => props.onHost(e.target.value)}
        required
        autoComplete="off"
        spellCheck={false}
        className="mono"
      />
      <Field
        label={t('add.port')}
        type="number"
        inputMode="numeric"
        min={1}
        max={65535}
        value={props.port}
        onChange={(e) => props.onPort(e.target.value)}
        className="field__input--short"
      />
      <Field
        label={t(props.userLabel)}
        value={props.user}
        onChange={(e) => props.onUser(e.target.value)}
        required
        autoComplete="off"
        spellCheck={false}
        className="mono"
      />
    </div>
  );
}
