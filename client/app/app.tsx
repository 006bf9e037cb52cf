import { createApiClient } from '../http/api-client.ts';
import { useSession } from '../session/use-session.ts';
import { WallApp } from '../wall/wall-app.tsx';
import { modeFromUrl } from './app-mode.ts';
import { CommandApp } from './command-app.tsx';
import { LanguageProvider } from './i18n.tsx';

const api = createApiClient();

/** The page: the command centre at /, the wall display at /?mode=wall (or /wall); both in the chosen language. */
export function App() {
  return (
    <LanguageProvider>
      <Screen />
    </LanguageProvider>
  );
}

function Screen() {
  const session = useSession(api);
  const mode = modeFromUrl(window.location.href);
  return mode === 'wall' ? <WallApp api={api} session={session} /> : <CommandApp api={api} session={session} />;
}
