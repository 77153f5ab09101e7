import { Faker, en } from '@faker-js/faker';
import type { DuckSession } from '../duck/index.ts';

/**
 * Small lookup pools (names, places, product vocabulary) made by faker from the seed and
 * loaded into DuckDB; the generator's SQL draws every row from them by hash, so the row
 * count never touches JavaScript.
 */
const PLACES: Array<[string, string, string]> = [
  ['New York', 'NY', 'US'],
  ['Los Angeles', 'CA', 'US'],
  ['Chicago', 'IL', 'US'],
  ['Houston', 'TX', 'US'],
  ['Phoenix', 'AZ', 'US'],
  ['Seattle', 'WA', 'US'],
  ['Denver', 'CO', 'US'],
  ['Boston', 'MA', 'US'],
  ['Atlanta', 'GA', 'US'],
  ['Miami', 'FL', 'US'],
  ['Portland', 'OR', 'US'],
  ['Austin', 'TX', 'US'],
  ['London', 'ENG', 'GB'],
  ['Manchester', 'ENG', 'GB'],
  ['Edinburgh', 'SCT', 'GB'],
  ['Toronto', 'ON', 'CA'],
  ['Vancouver', 'BC', 'CA'],
  ['Berlin', 'BE', 'DE'],
  ['Munich', 'BY', 'DE'],
  ['Paris', 'IDF', 'FR'],
  ['Lyon', 'ARA', 'FR'],
  ['Sydney', 'NSW', 'AU'],
  ['Melbourne', 'VIC', 'AU'],
  ['Mumbai', 'MH', 'IN'],
  ['Bengaluru', 'KA', 'IN'],
];
const CATEGORIES: Array<[string, string[]]> = [
  ['Electronics', ['Phones', 'Laptops', 'Audio', 'Cameras']],
  ['Home', ['Kitchen', 'Furniture', 'Decor', 'Bedding']],
  ['Apparel', ['Men', 'Women', 'Kids', 'Shoes']],
  ['Beauty', ['Skincare', 'Makeup', 'Fragrance']],
  ['Sports', ['Fitness', 'Outdoor', 'Cycling']],
  ['Grocery', ['Snacks', 'Beverages', 'Pantry']],
  ['Toys', ['Games', 'Puzzles', 'Dolls']],
  ['Books', ['Fiction', 'Non-fiction', 'Comics']],
];

export async function loadNamePools(db: DuckSession, seed: number): Promise<void> {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const firstNames = uniq(Array.from({ length: 400 }, () => faker.person.firstName())).slice(0, 200);
  const lastNames = uniq(Array.from({ length: 600 }, () => faker.person.lastName())).slice(0, 300);
  const adjectives = uniq(Array.from({ length: 200 }, () => faker.commerce.productAdjective())).slice(0, 40);
  const materials = uniq(Array.from({ length: 200 }, () => faker.commerce.productMaterial())).slice(0, 20);
  const brands = uniq(Array.from({ length: 200 }, () => faker.company.name().split(/[ ,-]/)[0] ?? 'Acme')).slice(0, 60);

  await db.run('CREATE OR REPLACE TABLE pool_first (idx BIGINT, name VARCHAR)');
  await db.run('CREATE OR REPLACE TABLE pool_last (idx BIGINT, name VARCHAR)');
  await db.run('CREATE OR REPLACE TABLE pool_place (idx BIGINT, city VARCHAR, state VARCHAR, country VARCHAR)');
  await db.run('CREATE OR REPLACE TABLE pool_word (kind VARCHAR, idx BIGINT, word VARCHAR)');
  await db.run('CREATE OR REPLACE TABLE pool_category (idx BIGINT, category VARCHAR, subcategory VARCHAR)');
  await appendRows(
    db,
    'pool_first',
    firstNames.map((n, i) => [i, n]),
  );
  await appendRows(
    db,
    'pool_last',
    lastNames.map((n, i) => [i, n]),
  );
  await appendRows(
    db,
    'pool_place',
    PLACES.map((p, i) => [i, ...p]),
  );
  await appendRows(db, 'pool_word', [
    ...adjectives.map((w, i) => ['adjective', i, w]),
    ...materials.map((w, i) => ['material', i, w]),
    ...brands.map((w, i) => ['brand', i, w]),
  ]);
  await appendRows(
    db,
    'pool_category',
    CATEGORIES.flatMap(([c, subs]) => subs.map((s) => [c, s])).map((p, i) => [i, ...p]),
  );
}

function uniq(values: string[]): string[] {
  return [...new Set(values)];
}

async function appendRows(db: DuckSession, table: string, rows: Array<Array<string | number>>): Promise<void> {
  const appender = await db.connection.createAppender(table);
  for (const row of rows) {
    for (const v of row) {
      if (typeof v === 'number') appender.appendBigInt(BigInt(v));
      else appender.appendVarchar(v);
    }
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}
