import type {
  DeleteAccountSettingRequest,
  ListAccountSettingsRequest,
  PutAccountSettingDefaultRequest,
  PutAccountSettingRequest,
} from '@aws-sdk/client-ecs';
import type { EcsControl } from '../../control/ecs-control.js';
import { decodeToken, encodeToken } from '../../lib/pagination.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize } from './paging.js';

/** Handlers of the account setting operations. */
export function accountSettingHandlers(ecs: EcsControl): Record<string, OperationHandler> {
  const settings = ecs.accountSettings;
  return {
    async PutAccountSetting(input: PutAccountSettingRequest, { scope }) {
      return { setting: await settings.put(scope, input.name!, input.value!, input.principalArn) };
    },
    async PutAccountSettingDefault(input: PutAccountSettingDefaultRequest, { scope }) {
      return { setting: await settings.putDefault(scope, input.name!, input.value!) };
    },
    async DeleteAccountSetting(input: DeleteAccountSettingRequest, { scope }) {
      return { setting: await settings.delete(scope, input.name!, input.principalArn) };
    },
    async ListAccountSettings(input: ListAccountSettingsRequest, { scope }) {
      const size = pageSize('ListAccountSettings', input.maxResults);
      const all = await settings.list(scope, {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.value !== undefined && { value: input.value }),
        ...(input.principalArn !== undefined && { principalArn: input.principalArn }),
        ...(input.effectiveSettings !== undefined && { effectiveSettings: input.effectiveSettings }),
      });
      // Settings are a short fixed list: the token is the name of the last one returned.
      const after = decodeToken('account-settings', input.nextToken);
      const start = after === undefined ? 0 : all.findIndex((s) => s.name === after) + 1;
      const page = all.slice(start, start + size);
      const more = start + size < all.length;
      return {
        settings: page,
        ...(more && { nextToken: encodeToken('account-settings', page[page.length - 1]!.name!) }),
      };
    },
  };
}
