import { useEffect, useState } from 'react';
import { ConsolePage } from './pages/console-page';
import { DashboardPage } from './pages/dashboard-page';
import { RunsPage } from './pages/runs-page';
import { UploadPage } from './pages/upload-page';
import { ModelPage } from './pages/model-page';
import { QualityPage } from './pages/quality-page';

const PAGES = {
  dashboard: { title: 'Dashboard', page: DashboardPage },
  runs: { title: 'Runs', page: RunsPage },
  upload: { title: 'Upload', page: UploadPage },
  quality: { title: 'Data quality', page: QualityPage },
  model: { title: 'Data model', page: ModelPage },
  console: { title: 'SQL console', page: ConsolePage },
} as const;
type PageName = keyof typeof PAGES;

function current(): PageName {
  const name = location.hash.replace(/^#\//, '').split('/')[0];
  return name && name in PAGES ? (name as PageName) : 'dashboard';
}

export function App() {
  const [page, setPage] = useState<PageName>(current);
  useEffect(() => {
    const onHash = () => setPage(current());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const Page = PAGES[page].page;
  return (
    <>
      <nav>
        <strong>shoplake</strong>
        {(Object.keys(PAGES) as PageName[]).map((p) => (
          <a key={p} href={`#/${p}`} aria-current={p === page ? 'page' : undefined}>
            {PAGES[p].title}
          </a>
        ))}
      </nav>
      <main>
        <Page />
      </main>
    </>
  );
}
