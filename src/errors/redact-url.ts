/** A connection URL fit for an error message or a log: its password replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
