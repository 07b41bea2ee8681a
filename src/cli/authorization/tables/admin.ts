import { ACCESS_DENIED_EXCEPTION, type AuthorizationTable } from '../table.js';

/** minato's own administration API (prefix `minato`): InterruptSpotTask on `*`; a role may be granted it. */
export const ADMIN_AUTHORIZATION: AuthorizationTable = { prefix: 'minato', denial: ACCESS_DENIED_EXCEPTION, resources: {} };
