import { lazy } from 'react';

// Pages other than the contacts home load on first visit, each in its own chunk: the window
// starts by parsing only what the profile picker and the contacts home need (the charts,
// QR codes, CSV parsing and rule editors are most of the bundle and rarely opened).
export const ContactPage = lazy(() => import('./ContactPage').then((m) => ({ default: m.ContactPage })));
export const NewContactPage = lazy(() => import('./NewContactPage').then((m) => ({ default: m.NewContactPage })));
export const CollectOptInPage = lazy(() => import('./CollectOptInPage').then((m) => ({ default: m.CollectOptInPage })));
export const OverviewPage = lazy(() => import('./overview/OverviewPage').then((m) => ({ default: m.OverviewPage })));
export const HistoryPage = lazy(() => import('./history/HistoryPage').then((m) => ({ default: m.HistoryPage })));
export const ImportPage = lazy(() => import('./import/ImportPage').then((m) => ({ default: m.ImportPage })));
export const AutomationPage = lazy(() => import('./automation/AutomationPage').then((m) => ({ default: m.AutomationPage })));
export const SettingsPage = lazy(() => import('./SettingsPage').then((m) => ({ default: m.SettingsPage })));
export const MessagesPage = lazy(() => import('./messages/MessagesPage').then((m) => ({ default: m.MessagesPage })));
