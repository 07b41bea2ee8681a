import type { Scope } from '../../../lib/scope.js';
import { ACCESS_DENIED_EXCEPTION, regional, type AuthorizationTable, type Input, type Resources } from '../table.js';

/*
 * Cloud Map (prefix `servicediscovery`). Namespace operations act on `namespace/<id>` (GetNamespace,
 * DeleteNamespace, the Update*Namespace ones; CreateService on its NamespaceId), service and
 * instance operations on `service/<id>`. The tagging operations on the ARN they name. On `*`: the
 * Create*Namespace operations, ListNamespaces, ListServices, GetOperation, ListOperations and
 * DiscoverInstances(Revision), which name namespaces by name (the reference's condition keys).
 */
const ns = (scope: Scope, id: string | undefined) => (id === undefined ? undefined : regional('servicediscovery', scope, `namespace/${id}`));
const srv = (scope: Scope, id: string | undefined) => (id === undefined ? undefined : regional('servicediscovery', scope, `service/${id}`));
const namespace: Resources = (input: Input, scope) => [ns(scope, input.Id)];
const service: Resources = (input: Input, scope) => [srv(scope, input.Id)];
const ofService: Resources = (input: Input, scope) => [srv(scope, input.ServiceId)];
const tagged: Resources = (input: Input) => [input.ResourceARN];

export const SERVICEDISCOVERY_AUTHORIZATION: AuthorizationTable = {
  prefix: 'servicediscovery',
  denial: ACCESS_DENIED_EXCEPTION,
  resources: {
    GetNamespace: namespace,
    DeleteNamespace: namespace,
    UpdatePrivateDnsNamespace: namespace,
    UpdatePublicDnsNamespace: namespace,
    UpdateHttpNamespace: namespace,
    CreateService: (input: Input, scope) => [ns(scope, input.NamespaceId)],
    GetService: service,
    UpdateService: service,
    DeleteService: service,
    GetServiceAttributes: ofService,
    UpdateServiceAttributes: ofService,
    DeleteServiceAttributes: ofService,
    RegisterInstance: ofService,
    DeregisterInstance: ofService,
    GetInstance: ofService,
    ListInstances: ofService,
    GetInstancesHealthStatus: ofService,
    UpdateInstanceCustomHealthStatus: ofService,
    TagResource: tagged,
    UntagResource: tagged,
    ListTagsForResource: tagged,
  },
};
