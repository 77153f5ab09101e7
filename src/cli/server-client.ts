import { errorFromJson, TransientError, type ErrorJson } from '../errors/index.ts';
import type { ShoplakeConfig } from '../config/index.ts';
import type { StateDb } from '../state/index.ts';
import { findServer } from '../serve/index.ts';
import { withStateDb } from './open-home.ts';

/**
 * The running `shoplake serve` of a home, seen from the CLI: one owner per home, so a
 * command that finds a server asks it over HTTP instead of opening the home's files.
 */
export class ServerClient {
  constructor(readonly url: string) {}

  static async find(home: string): Promise<ServerClient | undefined> {
    const info = await findServer(home);
    return info ? new ServerClient(info.url) : undefined;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new TransientError(
        'server_unreachable',
        `the shoplake server at ${this.url} did not answer: ${(err as Error).message}`,
        { subject: this.url, hint: 'is `shoplake serve` still running?' },
      );
    }
    const json = (await res.json().catch(() => ({}))) as {
      error?: { code: string; kind: string; message: string; subject?: string; hint?: string };
    };
    if (res.ok) return json as T;
    const e = json.error ?? { code: 'internal', kind: 'internal', message: `HTTP ${res.status}` };
    if (e.kind === 'terminal' || e.kind === 'transient') throw errorFromJson(e as ErrorJson);
    throw new Error(`server error: ${e.message}`);
  }
}

/**
 * A read of the home: from the running server when one owns it (`apiPath`), else from
 * the state store the config names (`local`).
 */
export async function readHome<T>(
  config: ShoplakeConfig,
  apiPath: string,
  local: (state: StateDb) => Promise<T>,
): Promise<T> {
  const server = await ServerClient.find(config.home);
  if (server) return server.get<T>(apiPath);
  return withStateDb(config, (state) => local(state));
}
