import type { EntityName } from '../../contract/index.ts';

/** What a stream carries and how one of its records is told apart from another. */
export interface StreamSpec {
  /** The stream's name, also its URL path (`/v1/<name>`). */
  name: 'events' | 'orders';
  entity: EntityName;
  /** The field a record must have (non-empty) to be accepted. */
  key: string;
  /**
   * SQL (over a JSON text column `line`) giving a record's identity for exactly-once: an
   * event is its event_id; an order record is its whole content, since one order is sent
   * again with each status change.
   */
  identitySql: string;
  /** Bronze files of the stream are partitioned by the UTC date of this field, in folders `<name>=YYYY-MM-DD`. */
  partition: { field: string; name: string };
}

export const STREAMS: Record<StreamSpec['name'], StreamSpec> = {
  events: {
    name: 'events',
    entity: 'events',
    key: 'event_id',
    identitySql: "trim(json_extract_string(line, '$.event_id'))",
    partition: { field: 'event_ts', name: 'event_date' },
  },
  orders: {
    name: 'orders',
    entity: 'orders',
    key: 'order_id',
    identitySql: 'md5(json(line)::VARCHAR)',
    partition: { field: 'order_ts', name: 'order_date' },
  },
};
