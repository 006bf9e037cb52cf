import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Lang, STRINGS, type Strings } from './strings.ts';

export const LANG_PARAM = 'lang';

interface LanguageControls {
  readonly lang: Lang;
  readonly strings: Strings;
  readonly toggle: () => void;
}

const LanguageContext = createContext<LanguageControls>({ lang: 'zh', strings: STRINGS.zh, toggle: () => {} });

/** `?lang=en` opens the page in English; anything else (or nothing) is Chinese, as on the public page. */
export function langFromUrl(href: string): Lang {
  return new URL(href).searchParams.get(LANG_PARAM) === 'en' ? 'en' : 'zh';
}

/** Holds the language; switching it rewrites `?lang=` in place (no history entry) and <html lang>. */
export function LanguageProvider({ children }: { readonly children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(() => langFromUrl(window.location.href));
  const strings = STRINGS[lang];

  useEffect(() => {
    document.documentElement.lang = strings.locale;
    document.title = strings.appTitle;
  }, [strings]);

  const toggle = useCallback(() => {
    const next: Lang = lang === 'zh' ? 'en' : 'zh';
    const url = new URL(window.location.href);
    if (next === 'en') url.searchParams.set(LANG_PARAM, 'en');
    else url.searchParams.delete(LANG_PARAM);
    window.history.replaceState(window.history.state, '', url);
    setLang(next);
  }, [lang]);

  const value = useMemo(() => ({ lang, strings, toggle }), [lang, strings, toggle]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export function useLanguage(): LanguageControls {
  return useContext(LanguageContext);
}

/** The strings of the language in use. */
export function useStrings(): Strings {
  return useContext(LanguageContext).strings;
}

/** The switch in the header: names the other language in that language. */
export function LanguageSwitch({ className = 'lang-switch' }: { readonly className?: string }) {
  const { lang, strings, toggle } = useLanguage();
  return (
    <button type="button" className={className} data-testid="switch-language" lang={lang === 'zh' ? 'en' : 'zh-CN'} aria-label={strings.switchLanguageLabel} title={strings.switchLanguageLabel} onClick={toggle}>
      {strings.switchLanguage}
    </button>
  );
}
