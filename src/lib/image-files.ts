/**
 * The files of an image that its checks in dockle's spirit read, named once: the linter judges
 * them (`lint/image-checks.ts`) and the scanner keeps them while it reads the layers
 * (`scanning/inventory/layer-facts.ts`), so the two cannot drift apart.
 */

/** dockle's credential file names. */
export const CREDENTIAL_FILES: ReadonlySet<string> = new Set(['credentials.json', 'credential.json', 'credentials', 'credential', 'password.txt', 'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'secret_token.rb', 'carrierwave.rb', 'omniauth.rb', 'settings.py', 'database.yml', 'credentials.xml', '.env']);
/** dockle's credential file extensions. */
export const CREDENTIAL_EXTENSIONS: ReadonlySet<string> = new Set(['.secret', '.ovpn', '.private_key', '.cscfg', '.rdp', '.mdf', '.sdf', '.bek', '.tpm', '.fve', '.jks', '.psafe3', '.agilekeychain', '.keychain', '.pcap', '.gnucache']);
/** The account databases whose content the checks read (relative paths). */
export const ACCOUNT_FILES: ReadonlySet<string> = new Set(['etc/passwd', 'etc/group', 'etc/shadow', 'etc/master.passwd']);
/** Files whose content may hold a credential the checks look for (by base name). */
export const CONTENT_CHECKED_NAMES: ReadonlySet<string> = new Set(['.npmrc']);
/** Package manager caches that should not be left in an image (relative paths of their files). */
export const PACKAGE_CACHE_FILE = /^(var\/lib\/apt\/lists\/[^/]+|var\/cache\/apk\/[^/]+)$/;

export const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
export const extensionOf = (name: string): string => (name.lastIndexOf('.') > 0 ? name.slice(name.lastIndexOf('.')) : '');

/** Whether a file's name marks it as a credential file, as dockle's CIS-DI-0010 sees it. */
export const isCredentialName = (path: string): boolean => CREDENTIAL_FILES.has(baseName(path)) || CREDENTIAL_EXTENSIONS.has(extensionOf(baseName(path)));
