/** The server's JSON API; an error answer becomes an ApiError with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(path, {
    method: init?.method ?? 'GET',
    ...(init?.body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
      : {}),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; hint?: string } };
  if (!res.ok)
    throw new ApiError(json.error?.code ?? 'http_error', json.error?.message ?? `HTTP ${res.status}`, json.error?.hint);
  return json as T;
}
