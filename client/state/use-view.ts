import { useCallback, useEffect, useState } from 'react';
import { urlWithView, type ViewState, viewFromUrl } from './view-url.ts';

export interface ViewControls {
  readonly view: ViewState;
  /** A new place in the history (Back returns to the view before): workspace, area, filters. */
  readonly changeView: (change: Partial<ViewState>) => void;
  /** The camera is written in place (every pan would otherwise be a Back step). */
  readonly moveCamera: (camera: ViewState['camera']) => void;
}

/** The screen's view, kept in step with the URL both ways (see view-url.ts). */
export function useView(): ViewControls {
  const [view, setView] = useState<ViewState>(() => viewFromUrl(window.location.href));

  useEffect(() => {
    const onPop = (): void => setView(viewFromUrl(window.location.href));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const changeView = useCallback((change: Partial<ViewState>) => {
    setView((current) => {
      const next = { ...current, ...change };
      const href = urlWithView(window.location.href, next);
      if (href !== window.location.href) window.history.pushState(null, '', href);
      return next;
    });
  }, []);

  const moveCamera = useCallback((camera: ViewState['camera']) => {
    setView((current) => {
      const next = { ...current, camera };
      const href = urlWithView(window.location.href, next);
      if (href !== window.location.href) window.history.replaceState(window.history.state, '', href);
      return next;
    });
  }, []);

  return { view, changeView, moveCamera };
}
