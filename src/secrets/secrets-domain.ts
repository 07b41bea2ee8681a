import type { Store } from '../store/store.js';
import { ValueCipher } from './crypto/value-cipher.js';
import { ParameterLabels } from './parameters/parameter-labels.js';
import { ParameterQueries } from './parameters/parameter-queries.js';
import { ParameterStore } from './parameters/parameter-store.js';
import { SecretListing } from './secrets-manager/secret-listing.js';
import { SecretsManager } from './secrets-manager/secrets-manager.js';

/** The secrets domain: Secrets Manager and Parameter Store over one store and one master key. */
export interface SecretsDomain {
  secrets: SecretsManager;
  secretListing: SecretListing;
  parameters: ParameterStore;
  parameterQueries: ParameterQueries;
  parameterLabels: ParameterLabels;
}

/** Wires the secrets domain over `store`, sealing values under `masterKey` (see crypto/master-key.ts). */
export function createSecretsDomain(store: Store, masterKey: Buffer): SecretsDomain {
  const cipher = new ValueCipher(masterKey);
  const secrets = new SecretsManager(store, cipher);
  const parameters = new ParameterStore(store, cipher);
  return {
    secrets,
    secretListing: new SecretListing(store, secrets),
    parameters,
    parameterQueries: new ParameterQueries(store, parameters),
    parameterLabels: new ParameterLabels(store, parameters),
  };
}
