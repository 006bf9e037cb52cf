/**
 * The public page's composition root (public.html, served at /public): the command centre's styles
 * and offline basemap (the same maplibre worker, same origin), the page's own styles, and the app.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import '../app/app.css';
import './public.css';
import '../map/maplibre-worker.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PublicApp } from './public-app.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('public.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <PublicApp />
  </StrictMode>,
);
