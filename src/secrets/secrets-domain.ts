import type { Store } from '../store/store.js';
import { ValueCipher } from './crypto/value-cipher.js';
import { ParameterLabels } from './parameters/parameter-labels.js';
import { ParameterQueries } from './parameters/parameter-queries.js';
import { ParameterStore } from './parameters/parameter-store.js';
import { SecretListing } from './secrets-manager/secret-listing.js';
import { NO_ROTATION_FUNCTIONS, type RotationFunctions } from './secrets-manager/rotation/ports.js';
import { SecretRotations, type SecretRotationsOptions } from './secrets-manager/rotation/secret-rotations.js';
import { SecretsManager } from './secrets-manager/secrets-manager.js';

/** The secrets domain: Secrets Manager and Parameter Store over one store and one master key. */
export interface SecretsDomain {
  secrets: SecretsManager;
  secretListing: SecretListing;
  /** RotateSecret, CancelRotateSecret and the rotation driver (started by the composition root). */
  rotations: SecretRotations;
  parameters: ParameterStore;
  parameterQueries: ParameterQueries;
  parameterLabels: ParameterLabels;
}

/** How rotation reaches its functions, and the driver's options. */
export interface RotationWiring extends SecretRotationsOptions {
  functions: RotationFunctions;
}

/**
 * Wires the secrets domain over `store`, sealing values under `masterKey` (see crypto/master-key.ts).
 * Without `rotation`, every rotation function is refused.
 */
export function createSecretsDomain(store: Store, masterKey: Buffer, rotation?: RotationWiring): SecretsDomain {
  const cipher = new ValueCipher(masterKey);
  const secrets = new SecretsManager(store, cipher);
  const { functions, ...rotationOptions } = rotation ?? { functions: NO_ROTATION_FUNCTIONS };
  const parameters = new ParameterStore(store, cipher);
  return {
    secrets,
    secretListing: new SecretListing(store, secrets),
    rotations: new SecretRotations(store, secrets.values, functions, rotationOptions),
    parameters,
    parameterQueries: new ParameterQueries(store, parameters),
    parameterLabels: new ParameterLabels(store, parameters),
  };
}
