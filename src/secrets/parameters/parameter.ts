/** Parameter types. */
export const ParameterType = {
  String: 'String',
  StringList: 'StringList',
  SecureString: 'SecureString',
} as const;
/** One of {@link ParameterType}. */
export type ParameterType = (typeof ParameterType)[keyof typeof ParameterType];

/** Parameter tiers; Intelligent-Tiering is a request, never a stored tier. */
export const ParameterTier = {
  Standard: 'Standard',
  Advanced: 'Advanced',
  IntelligentTiering: 'Intelligent-Tiering',
} as const;
/** A tier a parameter version is stored in. */
export type StoredTier = typeof ParameterTier.Standard | typeof ParameterTier.Advanced;

/** The data types Parameter Store accepts. */
export const DATA_TYPES: ReadonlySet<string> = new Set(['text', 'aws:ec2:image']);

/** The KMS key a SecureString uses when PutParameter names none. */
export const DEFAULT_KEY_ID = 'alias/aws/ssm';

/** A tag on a parameter. */
export interface ParameterTag {
  Key: string;
  Value: string;
}

/** One version's metadata (its value is stored apart). */
export interface ParameterVersionRecord {
  version: number;
  type: ParameterType;
  /** SecureString only. */
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  tier: StoredTier;
  dataType: string;
  policies?: string;
  labels: string[];
  /** Epoch milliseconds. */
  lastModifiedDate: number;
  lastModifiedUser: string;
}

/** A parameter: every kept version's metadata, oldest first. Stored under `<region>/<normalized name>`. */
export interface ParameterRecord {
  /** The name as it was created. */
  name: string;
  /** A random id of this incarnation: a re-created parameter's values cannot be swapped with the old one's. */
  id: string;
  tags: ParameterTag[];
  versions: ParameterVersionRecord[];
}

/** A stored value: plain text for String and StringList, sealed (base64) for SecureString. */
export interface StoredParameterValue {
  text?: string;
  sealed?: string;
}

/** Versions Parameter Store keeps per parameter (a service quota). */
export const MAX_VERSIONS = 100;
/** Labels per parameter version. */
export const MAX_LABELS = 10;
/** Tags per parameter. */
export const MAX_TAGS = 50;
/** Hierarchy levels of a name. */
export const MAX_LEVELS = 15;
