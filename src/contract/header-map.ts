import { ENTITIES, type EntityName } from './entities.ts';

/** Contract §3 aliases; `type` and `event` mean event_type for events only. */
const ALIASES: Record<string, string> = {
  cust_id: 'customer_id',
  customerid: 'customer_id',
  client_id: 'customer_id',
  prod_id: 'product_id',
  sku: 'product_id',
  price: 'unit_price',
  unitprice: 'unit_price',
  qty: 'quantity',
  order_date: 'order_ts',
  ordered_at: 'order_ts',
  timestamp: 'event_ts',
  event_time: 'event_ts',
  ts: 'event_ts',
  line: 'line_number',
  line_no: 'line_number',
};
const EVENT_ALIASES: Record<string, string> = { type: 'event_type', event: 'event_type' };

/** `Customer_ID ` → customer_id, `customerId` → customer_id, `Line No` → line_no. */
export function normalizeHeader(raw: string): string {
  return raw
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export type HeaderMatch = 'exact' | 'normalized' | 'alias' | 'unknown';

export interface MappedColumn {
  /** The header exactly as the file spells it. */
  source: string;
  /** The bronze column name: canonical where known, else the normalized header. */
  target: string;
  match: HeaderMatch;
}

/**
 * Maps a file's headers to canonical column names. Unknown columns are kept under their
 * normalized name. Several headers may map to one canonical column (JSON records that
 * spell a key two ways, `event_type` and `type`): bronze then takes the first non-null
 * of them, in header order.
 */
export function mapHeaders(entity: EntityName, headers: readonly string[]): MappedColumn[] {
  const canonical = new Set(ENTITIES[entity].columns);
  const taken = new Set<string>();
  const out: MappedColumn[] = [];
  for (const source of headers) {
    const norm = normalizeHeader(source);
    let target = norm;
    let match: HeaderMatch = 'unknown';
    if (canonical.has(norm)) {
      target = norm;
      match = source === norm ? 'exact' : 'normalized';
    } else {
      const alias =
        (entity === 'events' ? EVENT_ALIASES[norm] : undefined) ?? ALIASES[norm] ?? ALIASES[norm.replaceAll('_', '')];
      if (alias && canonical.has(alias)) {
        target = alias;
        match = 'alias';
      }
    }
    if (target === '' || (taken.has(target) && !canonical.has(target))) {
      target = uniqueName(norm || 'column', taken);
      match = 'unknown';
    }
    taken.add(target);
    out.push({ source, target, match });
  }
  return out;
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

/** The entity key columns missing after mapping (empty when the file is usable). */
export function missingKeyColumns(entity: EntityName, mapped: readonly MappedColumn[]): string[] {
  const targets = new Set(mapped.map((m) => m.target));
  return ENTITIES[entity].key.filter((k) => !targets.has(k));
}
