import type { TestContext } from 'node:test';
import { connect, type NatsConnection } from 'nats';

/** The NATS server the tests use: SHOPLAKE_TEST_NATS_URL, else the machine's own with JetStream. */
export const NATS_URL = process.env['SHOPLAKE_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** A connection, or a skip with the reason (a failure under CI=true). */
export async function natsOrSkip(t: TestContext): Promise<NatsConnection | undefined> {
  try {
    const nc = await connect({ servers: NATS_URL.replace(/^nats:\/\//, ''), timeout: 3000 });
    await (await nc.jetstreamManager()).getAccountInfo();
    return nc;
  } catch (err) {
    const why =
      `NATS with JetStream is not reachable at ${NATS_URL} ` +
      `(${(err as Error).message}); set SHOPLAKE_TEST_NATS_URL or start nats-server -js`;
    if (process.env['CI'] === 'true')
      throw new Error(`${why}. Under CI=true a missing service fails the test.`, { cause: err });
    t.skip(why);
    return undefined;
  }
}
