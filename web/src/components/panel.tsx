import type { ReactNode } from 'react';

export type Quality = 'pass' | 'warn' | 'fail' | 'unknown';

/** A chart's frame: its title, when its data was published and the quality of its sources. */
export function Panel({
  title,
  asOf,
  sources,
  quality,
  children,
  wide,
  note,
}: {
  title: string;
  asOf: string | null;
  sources: string[];
  quality: Record<string, Quality>;
  children: ReactNode;
  wide?: boolean;
  /** Said before the date, e.g. that live stream events are laid over the published data. */
  note?: string;
}) {
  const worst = sources
    .map((s) => quality[s] ?? 'unknown')
    .reduce<Quality>((w, q) => (rank(q) > rank(w) ? q : w), 'pass');
  return (
    <section className={`card panel${wide ? ' wide' : ''}`} aria-label={title}>
      <header>
        <h2>{title}</h2>
        <span className={`quality ${worst}`} title={sources.map((s) => `${s}: ${quality[s] ?? 'unknown'}`).join('\n')}>
          data tests: {worst}
        </span>
      </header>
      {children}
      <footer>
        {note ? <span className="live-note">{note} · </span> : null}data as of{' '}
        {asOf ? new Date(asOf.replace(' ', 'T') + 'Z').toLocaleString() : 'never'} · from {sources.join(', ')}
      </footer>
    </section>
  );
}

function rank(q: Quality): number {
  return { pass: 0, unknown: 1, warn: 2, fail: 3 }[q];
}
