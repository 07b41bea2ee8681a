import type { Setting } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../../lib/errors.js';
import { rootPrincipal, type Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';

const SETTINGS = 'ecs-account-settings';

/** Each setting's accepted values and the value AWS applies when nobody set one. */
const SETTING_VALUES: Readonly<Record<string, { values: readonly string[]; awsDefault: string; readOnly?: boolean; accountOnly?: boolean }>> = {
  serviceLongArnFormat: { values: ['enabled', 'disabled'], awsDefault: 'enabled' },
  taskLongArnFormat: { values: ['enabled', 'disabled'], awsDefault: 'enabled' },
  containerInstanceLongArnFormat: { values: ['enabled', 'disabled'], awsDefault: 'enabled' },
  awsvpcTrunking: { values: ['enabled', 'disabled'], awsDefault: 'disabled' },
  containerInsights: { values: ['enabled', 'disabled', 'enhanced'], awsDefault: 'disabled' },
  fargateFIPSMode: { values: ['enabled', 'disabled'], awsDefault: 'disabled', accountOnly: true },
  tagResourceAuthorization: { values: ['on', 'off'], awsDefault: 'on' },
  fargateTaskRetirementWaitPeriod: { values: ['0', '7', '14'], awsDefault: '7', accountOnly: true },
  guardDutyActivate: { values: ['enabled', 'disabled'], awsDefault: 'disabled', readOnly: true },
  defaultLogDriverMode: { values: ['blocking', 'non-blocking'], awsDefault: 'non-blocking' },
  fargateEventWindows: { values: ['enabled', 'disabled'], awsDefault: 'disabled', accountOnly: true },
};

/** The setting names in the order ListAccountSettings reports them. */
export const SETTING_NAMES = Object.keys(SETTING_VALUES);

/** A setting set by a principal (or, for the root principal, the account default). */
interface StoredSetting {
  name: string;
  value: string;
  principalArn: string;
}

const key = (scope: Scope, principalArn: string, name: string) => `${scope.region}/${principalArn}/${name}`;

function checkValue(name: string, value: string): void {
  const spec = SETTING_VALUES[name];
  if (!spec) throw invalidParameter(`Invalid setting name: ${name}`);
  if (spec.readOnly) throw invalidParameter(`The ${name} account setting is read-only and can't be modified.`);
  if (!spec.values.includes(value)) {
    throw invalidParameter(`Invalid value '${value}' for setting ${name}. Valid values are: ${spec.values.join(', ')}.`);
  }
}

/** Options of ListAccountSettings. */
export interface ListSettingsFilter {
  name?: string;
  value?: string;
  principalArn?: string;
  effectiveSettings?: boolean;
}

/** ECS account settings: per principal, with the root principal's settings as the account default. */
export class AccountSettings {
  constructor(private readonly store: Store) {}

  /** Sets `name` for `principalArn` (default: the caller). */
  async put(scope: Scope, name: string, value: string, principalArn?: string): Promise<Setting> {
    checkValue(name, value);
    const principal = principalArn ?? scope.principalArn;
    if (SETTING_VALUES[name]?.accountOnly && principal !== rootPrincipal(scope.accountId)) {
      throw invalidParameter(`The ${name} account setting can only be set for the root user with PutAccountSettingDefault.`);
    }
    this.checkPrincipal(scope, principal);
    await this.store.collection<StoredSetting>(SETTINGS).put(key(scope, principal, name), { name, value, principalArn: principal });
    return { name, value, principalArn: principal, type: 'user' } as Setting;
  }

  /** Sets the account default of `name` (the root principal's setting). */
  putDefault(scope: Scope, name: string, value: string): Promise<Setting> {
    return this.put(scope, name, value, rootPrincipal(scope.accountId));
  }

  /** Removes the setting of `name` for `principalArn` (default: the caller); returns what was removed. */
  async delete(scope: Scope, name: string, principalArn?: string): Promise<Setting> {
    if (!SETTING_VALUES[name]) throw invalidParameter(`Invalid setting name: ${name}`);
    const principal = principalArn ?? scope.principalArn;
    this.checkPrincipal(scope, principal);
    const settings = this.store.collection<StoredSetting>(SETTINGS);
    const existing = await settings.get(key(scope, principal, name));
    if (!existing) throw invalidParameter(`The account setting ${name} is not set for the principal ${principal}.`);
    await settings.delete(key(scope, principal, name));
    return { ...existing, type: 'user' } as Setting;
  }

  /** The settings of a principal: those it set, or with `effectiveSettings` every setting as it applies to it. */
  async list(scope: Scope, filter: ListSettingsFilter): Promise<Setting[]> {
    const principal = filter.principalArn ?? scope.principalArn;
    this.checkPrincipal(scope, principal);
    const root = rootPrincipal(scope.accountId);
    const settings = this.store.collection<StoredSetting>(SETTINGS);
    const names = filter.name ? [filter.name] : SETTING_NAMES;
    const out: Setting[] = [];
    for (const name of names) {
      const own = await settings.get(key(scope, principal, name));
      let setting: Setting | undefined = own && ({ ...own, type: 'user' } as Setting);
      if (!setting && filter.effectiveSettings) {
        const accountDefault = principal === root ? undefined : await settings.get(key(scope, root, name));
        setting = accountDefault
          ? ({ ...accountDefault, type: 'user' } as Setting)
          : ({ name, value: SETTING_VALUES[name]!.awsDefault, principalArn: root, type: 'aws_managed' } as Setting);
      }
      if (setting && (filter.value === undefined || setting.value === filter.value)) out.push(setting);
    }
    return out;
  }

  /** Principals must belong to the caller's account (IAM user, role or root ARNs). */
  private checkPrincipal(scope: Scope, principalArn: string): void {
    if (!/^arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|user\/.+|role\/.+|assumed-role\/.+)$/.test(principalArn)) {
      throw invalidParameter('principalArn is not a valid IAM user, role or root ARN.');
    }
    if (principalArn.split(':')[4] !== scope.accountId) {
      throw invalidParameter('principalArn must belong to the caller\'s account.');
    }
  }
}
