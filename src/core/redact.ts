/**
 * Credentials never leave leakhound: any connection string that reaches a report, a warning or
 * an error message goes through here first.
 */

// scheme://user:password@host → scheme://user:****@host (also when the user part is empty).
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:@/\s'"`]*:)([^@\s'"`]+)(@)/gi;
// key=value forms: ?password=x&…, "Password=x;" (ADO-style), sslpassword, api keys in URLs.
const KEY_VALUE_SECRET = /\b((?:ssl)?pass(?:word)?|pwd|secret|token|api[_-]?key|access[_-]?key)(\s*=\s*)([^&;\s'"`]+)/gi;

export function redactCredentials(text: string): string {
  return text.replace(URL_PASSWORD, '$1****$3').replace(KEY_VALUE_SECRET, '$1$2****');
}
