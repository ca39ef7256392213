import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { pl } from './pl';

export const LANGUAGES = ['en', 'pl'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'consent-desk.language';

const savedLanguage = (): Language => {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'pl' || saved === 'en' ? saved : navigator.language.startsWith('pl') ? 'pl' : 'en';
};

export function initI18n() {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, pl: { translation: pl } },
    lng: savedLanguage(),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
}

export function setLanguage(lang: Language) {
  localStorage.setItem(STORAGE_KEY, lang);
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export const i18n = i18next;
