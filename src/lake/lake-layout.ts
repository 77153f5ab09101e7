import { join, resolve } from 'node:path';

/**
 * Where everything under a shoplake home lives. One place knows the layout; every
 * other module asks it.
 *
 *   <home>/lake/bronze/<entity>/<seq>-<hash>.parquet        one file per ingested landing file
 *   <home>/lake/bronze/<entity>/stream/<event_date|order_date>=<day>/<seq>-<hash>.parquet
 *                                                           a stream delivery, one file per day of its records
 *   <home>/lake/bronze/<entity>/stream/<event_date|order_date>=<day>/c<first>-<last>.parquet
 *                                                           the deliveries of a closed hour, merged
 *   <home>/lake/silver/<entity>.parquet                     cleansed, typed, deduplicated
 *   <home>/lake/gold/<table>.parquet                        star schema and marts
 *   <home>/lake/processed/date=<day>/<table>.parquet        gold unloaded per logical date, for consumers
 *   <home>/lake/quarantine/files/<hash>-<name>              rejected files, byte for byte
 *   <home>/lake/quarantine/rows/bronze/<seq>-<hash>.parquet rows rejected while parsing a file
 *   <home>/lake/quarantine/rows/silver.parquet              rows rejected by silver's checks
 *   <home>/state.duckdb                                     ledger, runs, catalog
 *   <home>/warehouse.duckdb                                 what analysts query
 *   <home>/live/manifest.json + *.parquet                   stream events since the last publish, laid over it
 *   <home>/landing-mirror/<bucket>/<prefix>/                an s3:// landing zone's objects, mirrored for ingest
 */
export class LakeLayout {
  constructor(readonly home: string) {}

  /** A path the state store keeps relative to the home, made usable. */
  resolve(underHome: string): string {
    return resolve(this.home, underHome);
  }

  get lake(): string {
    return join(this.home, 'lake');
  }
  get stateDb(): string {
    return join(this.home, 'state.duckdb');
  }
  get warehouseDb(): string {
    return join(this.home, 'warehouse.duckdb');
  }
  /** The live overlay: stream events newer than the published warehouse (see warehouse/live-overlay). */
  get live(): string {
    return join(this.home, 'live');
  }
  /** The local copy of an s3:// landing zone, one folder per bucket and prefix. */
  landingMirror(bucket: string, prefix: string): string {
    return join(this.home, 'landing-mirror', bucket, ...prefix.split('/').filter(Boolean));
  }
  get tmp(): string {
    return join(this.home, 'tmp');
  }
  get lockFile(): string {
    return join(this.home, 'shoplake.lock');
  }
  get bronze(): string {
    return join(this.lake, 'bronze');
  }
  /** Named by ledger sequence and content: two deliveries of one content never share a file. */
  bronzeFile(entity: string, seq: number, hash: string): string {
    return join(this.bronze, entity, fileName(seq, hash));
  }
  /**
   * A stream delivery's bronze files, one per day of its records under `<partition>=<day>/`,
   * as the glob the ledger keeps (every reader lists bronze through the ledger).
   */
  bronzeStreamFiles(entity: string, partition: string, seq: number, hash: string): StreamBronzeFiles {
    return streamFiles(join(this.bronze, entity, 'stream'), partition, fileName(seq, hash));
  }
  /** The bronze files of the stream deliveries `first`…`last` merged into one per day (see compactStreamBronze). */
  bronzeStreamCompacted(entity: string, partition: string, first: number, last: number): StreamBronzeFiles {
    return streamFiles(
      join(this.bronze, entity, 'stream'),
      partition,
      `c${String(first).padStart(8, '0')}-${String(last).padStart(8, '0')}.parquet`,
    );
  }
  zone(name: 'silver' | 'gold'): string {
    return join(this.lake, name);
  }
  /** The gold unload of one logical date (YYYY-MM-DD), replaced whole when that date is reprocessed. */
  processedPartition(logicalDate: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(logicalDate))
      throw new RangeError(`logical date "${logicalDate}" is not YYYY-MM-DD`);
    return join(this.lake, 'processed', `date=${logicalDate}`);
  }
  quarantinedFile(hash: string, name: string): string {
    return join(this.lake, 'quarantine', 'files', `${hash.slice(0, 12)}-${name.replace(/[\\/]/g, '_')}`);
  }
  get bronzeRejectsDir(): string {
    return join(this.lake, 'quarantine', 'rows', 'bronze');
  }
  bronzeRejects(seq: number, hash: string): string {
    return join(this.bronzeRejectsDir, fileName(seq, hash));
  }
  get silverRejects(): string {
    return join(this.lake, 'quarantine', 'rows', 'silver.parquet');
  }
}

function fileName(seq: number, hash: string): string {
  return `${String(seq).padStart(8, '0')}-${hash.slice(0, 16)}.parquet`;
}

/** Where one stream delivery's (or merge's) bronze files go: a file per day, and the glob the ledger keeps. */
export interface StreamBronzeFiles {
  dir: string;
  file: (day: string) => string;
  glob: string;
}

function streamFiles(dir: string, partition: string, name: string): StreamBronzeFiles {
  return { dir, file: (day) => join(dir, `${partition}=${day}`, name), glob: join(dir, `${partition}=*`, name) };
}
