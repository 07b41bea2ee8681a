import { validation } from './errors.js';
import { ParameterTier, type StoredTier } from './parameter.js';

/** The largest value of each tier, in bytes (Parameter Store quotas: 4 KB and 8 KB). */
export const TIER_LIMIT = { Standard: 4096, Advanced: 8192 } as const;

/**
 * The tier a new version is stored in. Without a requested tier a parameter keeps its tier (new
 * parameters use the account default, Standard). Intelligent-Tiering picks Standard while the value
 * fits and no policies are attached, else Advanced. An Advanced parameter can't go back to Standard.
 */
export function resolveTier(
  requested: string | undefined,
  current: StoredTier | undefined,
  valueBytes: number,
  hasPolicies: boolean,
): StoredTier {
  let tier: StoredTier;
  if (requested === ParameterTier.IntelligentTiering) {
    tier = valueBytes > TIER_LIMIT.Standard || hasPolicies || current === ParameterTier.Advanced ? ParameterTier.Advanced : ParameterTier.Standard;
  } else if (requested === ParameterTier.Advanced || requested === ParameterTier.Standard) {
    tier = requested;
  } else {
    tier = current ?? ParameterTier.Standard;
  }
  if (tier === ParameterTier.Standard && current === ParameterTier.Advanced) {
    throw validation(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the " +
        'standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.',
    );
  }
  if (tier === ParameterTier.Standard && valueBytes > TIER_LIMIT.Standard) {
    throw validation(
      `Standard tier parameters support a maximum parameter value of ${TIER_LIMIT.Standard} characters. To create a larger parameter ` +
        'value, upgrade the parameter to use the advanced-parameter tier. For more information, see ' +
        'https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
    );
  }
  if (valueBytes > TIER_LIMIT.Advanced) {
    throw validation(`Advanced tier parameters support a maximum parameter value of ${TIER_LIMIT.Advanced} characters.`);
  }
  return tier;
}
