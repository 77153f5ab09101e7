import { spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { S3Options } from '../../src/lake/index.ts';

export interface S3Server {
  endpoint: string;
  options: S3Options;
}

/**
 * s3rver (an S3 protocol server) on a free loopback port with the given buckets, in a child
 * process stopped when the test file ends. A child of its own because s3rver signs list
 * continuation tokens with DES, which Node 20's OpenSSL 3 has only behind
 * --openssl-legacy-provider, a flag the test process itself should not need.
 */
export async function startS3rver(buckets: readonly string[]): Promise<S3Server> {
  const dir = await mkdtemp(join(tmpdir(), 'shoplake-s3rver-'));
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      bin,
      '-d',
      dir,
      '-a',
      '127.0.0.1',
      '-p',
      '0',
      '--silent',
      ...buckets.flatMap((b) => ['--configure-bucket', b]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  after(async () => {
    child.kill();
    await rm(dir, { recursive: true, force: true });
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 15 s: ${out}`)), 15_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on [\d.]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}: ${out}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return { endpoint, options: s3Options(endpoint) };
}

/** s3rver's fixed credentials, a small list page size and few attempts, for an endpoint. */
export function s3Options(endpoint: string): S3Options {
  return {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    maxAttempts: 6,
  };
}

/**
 * A proxy in front of an S3 server that answers some requests with 503 SlowDown (every
 * `failEvery`-th; Infinity: none), as S3 does under load, recording every request
 * (`METHOD path?query`) and counting what it failed. Closed when the test ends.
 */
export async function startFlakyProxy(
  target: string,
  failEvery: number,
): Promise<{ endpoint: string; failed: () => number; requests: string[] }> {
  const to = new URL(target);
  let failed = 0;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (requests.length % failEvery === 0) {
      failed++;
      req.resume();
      res
        .writeHead(503, { 'content-type': 'application/xml' })
        .end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please ' +
            'reduce your request rate.</Message></Error>',
        );
      return;
    }
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, failed: () => failed, requests };
}
