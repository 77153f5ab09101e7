/**
 * The entities of DATA-CONTRACT.md §1 as data: their keys and canonical silver columns.
 * Everything that needs to know an entity's shape (header mapping, bronze views, the
 * generator) reads it from here.
 */
export const ENTITY_NAMES = ['customers', 'products', 'stores', 'orders', 'order_items', 'events'] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

export interface EntitySpec {
  name: EntityName;
  key: readonly string[];
  columns: readonly string[];
}

export const ENTITIES: Record<EntityName, EntitySpec> = {
  customers: {
    name: 'customers',
    key: ['customer_id'],
    columns: [
      'customer_id',
      'first_name',
      'last_name',
      'email',
      'phone',
      'gender',
      'birth_date',
      'city',
      'state',
      'country',
      'signup_date',
      'loyalty_tier',
      'updated_at',
    ],
  },
  products: {
    name: 'products',
    key: ['product_id'],
    columns: [
      'product_id',
      'product_name',
      'category',
      'subcategory',
      'brand',
      'unit_price',
      'cost',
      'is_active',
      'updated_at',
    ],
  },
  stores: {
    name: 'stores',
    key: ['store_id'],
    columns: ['store_id', 'store_name', 'channel', 'city', 'state', 'country', 'opened_date'],
  },
  orders: {
    name: 'orders',
    key: ['order_id'],
    columns: ['order_id', 'customer_id', 'store_id', 'order_ts', 'status', 'payment_method', 'updated_at'],
  },
  order_items: {
    name: 'order_items',
    key: ['order_id', 'line_number'],
    columns: ['order_id', 'line_number', 'product_id', 'quantity', 'unit_price', 'discount'],
  },
  events: {
    name: 'events',
    key: ['event_id'],
    columns: [
      'event_id',
      'event_ts',
      'session_id',
      'customer_id',
      'event_type',
      'product_id',
      'order_id',
      'page_url',
      'device',
      'referrer',
    ],
  },
};

export function isEntityName(name: string): name is EntityName {
  return (ENTITY_NAMES as readonly string[]).includes(name);
}

/** Row-level reject reasons (contract §4), in the order they are checked. */
export const ROW_REJECT_REASONS = [
  'malformed_row',
  'missing_key',
  'bad_timestamp',
  'bad_number',
  'invalid_value',
] as const;
export const FILE_REJECT_REASONS = [
  'empty_file',
  'bad_compression',
  'not_text',
  'unparseable',
  'unknown_entity',
  'no_key_column',
] as const;
export type RowRejectReason = (typeof ROW_REJECT_REASONS)[number];
export type FileRejectReason = (typeof FILE_REJECT_REASONS)[number];

export const REVENUE_STATUSES = ['placed', 'shipped', 'delivered'] as const;
export const ORDER_STATUSES = [...REVENUE_STATUSES, 'cancelled', 'returned'] as const;
export const EVENT_TYPES = [
  'page_view',
  'product_view',
  'search',
  'add_to_cart',
  'remove_from_cart',
  'checkout_start',
  'purchase',
] as const;
