/**
 * The IAM JSON policy grammar (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html),
 * parsed into a normal form: every "one or a list" member becomes a list. Resource-based policies
 * (a secret's, a repository's) name a principal in each statement; identity policies never do.
 */

/** Who a resource policy statement applies to: `*`, or principals by kind (AWS, Service, Federated, CanonicalUser). */
export type PolicyPrincipal = '*' | Readonly<Record<string, readonly string[]>>;

export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal?: PolicyPrincipal;
  notPrincipal?: PolicyPrincipal;
  action?: readonly string[];
  notAction?: readonly string[];
  resource?: readonly string[];
  notResource?: readonly string[];
  /** operator → condition key → values, as written (numbers and booleans kept as text). */
  condition?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export interface PolicyDocument {
  version?: string;
  id?: string;
  statements: readonly PolicyStatement[];
}

export type PolicyKind = 'identity' | 'resource';

/** A parsed document, or what is wrong with it (for the caller to word as its API does). */
export type ParsedPolicy = { ok: true; document: PolicyDocument } | { ok: false; problem: string };

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_KINDS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
// `*`, or `service:action` where the action may hold the wildcards `*` and `?`.
const ACTION = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$/;

class PolicyProblem extends Error {}
const fail = (problem: string): never => {
  throw new PolicyProblem(problem);
};

/** Parses and checks a policy document of the given kind. */
export function parsePolicyDocument(text: string, kind: PolicyKind): ParsedPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the policy is not valid JSON' };
  }
  try {
    return { ok: true, document: documentOf(json, kind) };
  } catch (err) {
    if (err instanceof PolicyProblem) return { ok: false, problem: err.message };
    throw err;
  }
}

function documentOf(json: unknown, kind: PolicyKind): PolicyDocument {
  const doc = objectOf(json, 'the policy');
  for (const key of Object.keys(doc)) if (!DOCUMENT_KEYS.has(key)) fail(`unknown policy element ${key}`);
  const { Version, Id, Statement } = doc;
  if (Version !== undefined && (typeof Version !== 'string' || !VERSIONS.has(Version))) fail('Version must be 2012-10-17 or 2008-10-17');
  if (Id !== undefined && typeof Id !== 'string') fail('Id must be a string');
  if (Statement === undefined) fail('the policy has no Statement');
  const list = Array.isArray(Statement) ? Statement : [Statement];
  if (list.length === 0) fail('the policy has no Statement');
  const statements = list.map((s) => statementOf(s, kind));
  const sids = statements.flatMap((s) => (s.sid !== undefined ? [s.sid] : []));
  if (new Set(sids).size !== sids.length) fail('statement ids (Sid) must be unique');
  return {
    ...(Version !== undefined && { version: Version as string }),
    ...(Id !== undefined && { id: Id as string }),
    statements,
  };
}

function statementOf(json: unknown, kind: PolicyKind): PolicyStatement {
  const s = objectOf(json, 'a statement');
  for (const key of Object.keys(s)) if (!STATEMENT_KEYS.has(key)) fail(`unknown statement element ${key}`);
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') fail('Effect must be Allow or Deny');
  if (s.Sid !== undefined && (typeof s.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(s.Sid))) fail('Sid must be alphanumeric');
  const action = oneOf(s, 'Action', 'NotAction', true);
  const resource = oneOf(s, 'Resource', 'NotResource', kind === 'identity');
  const principal = oneOf(s, 'Principal', 'NotPrincipal', kind === 'resource');
  if (kind === 'identity' && principal) fail('an identity policy names no Principal');
  const statement: PolicyStatement = {
    ...(s.Sid !== undefined && { sid: s.Sid as string }),
    effect: s.Effect as 'Allow' | 'Deny',
    ...(action && { [action === 'Action' ? 'action' : 'notAction']: actionsOf(s[action]) }),
    ...(resource && { [resource === 'Resource' ? 'resource' : 'notResource']: stringsOf(s[resource], resource) }),
    ...(principal && { [principal === 'Principal' ? 'principal' : 'notPrincipal']: principalOf(s[principal]) }),
    ...(s.Condition !== undefined && { condition: conditionOf(s.Condition) }),
  };
  return statement;
}

/** Which of two exclusive members the statement has; `required` when one of them must be there. */
function oneOf(s: Record<string, unknown>, a: string, b: string, required: boolean): string | undefined {
  if (s[a] !== undefined && s[b] !== undefined) fail(`a statement has either ${a} or ${b}, not both`);
  const present = s[a] !== undefined ? a : s[b] !== undefined ? b : undefined;
  if (required && !present) fail(`a statement needs ${a} or ${b}`);
  return present;
}

function actionsOf(json: unknown): string[] {
  const actions = stringsOf(json, 'Action');
  for (const a of actions) if (!ACTION.test(a)) fail(`invalid action ${a}`);
  return actions;
}

function principalOf(json: unknown): PolicyPrincipal {
  if (json === '*') return '*';
  const p = objectOf(json, 'Principal');
  const kinds = Object.keys(p);
  if (kinds.length === 0) fail('Principal names no principal');
  const out: Record<string, string[]> = {};
  for (const k of kinds) {
    if (!PRINCIPAL_KINDS.has(k)) fail(`unknown principal kind ${k}`);
    out[k] = stringsOf(p[k], `Principal ${k}`);
  }
  return out;
}

function conditionOf(json: unknown): Record<string, Record<string, string[]>> {
  const operators = objectOf(json, 'Condition');
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operator, keys] of Object.entries(operators)) {
    const block = objectOf(keys, `Condition ${operator}`);
    out[operator] = {};
    for (const [key, values] of Object.entries(block)) {
      const list = Array.isArray(values) ? values : [values];
      if (list.length === 0) fail(`Condition ${operator} ${key} has no value`);
      out[operator][key] = list.map((v) => {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') fail(`Condition ${operator} ${key} holds a value that is not text`);
        return String(v);
      });
    }
  }
  return out;
}

function stringsOf(json: unknown, what: string): string[] {
  const list = Array.isArray(json) ? json : [json];
  if (list.length === 0) fail(`${what} is empty`);
  for (const v of list) if (typeof v !== 'string' || v.length === 0) fail(`${what} must be text or a list of text`);
  return list as string[];
}

function objectOf(json: unknown, what: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(`${what} must be a JSON object`);
  return json as Record<string, unknown>;
}

/**
 * Whether a resource policy lets anyone in: an Allow statement whose principal is everyone (`*`,
 * `{"AWS": "*"}`) or everyone but some (NotPrincipal), with no condition to narrow it. AWS asks an
 * automated reasoner (Zelkova) this question; any condition counts as narrowing here.
 */
export function grantsPublicAccess(document: PolicyDocument): boolean {
  return document.statements.some(
    (s) => s.effect === 'Allow' && s.condition === undefined && (s.notPrincipal !== undefined || isEveryone(s.principal)),
  );
}

function isEveryone(principal: PolicyPrincipal | undefined): boolean {
  if (principal === undefined) return false;
  if (principal === '*') return true;
  return (principal.AWS ?? []).includes('*');
}
