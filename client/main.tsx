/**
 * The client's composition root: styles, the maplibre worker, and the app mounted into #root.
 * Nothing else touches the document outside its own elements.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import './app/app.css';
import './wall/wall.css';
import './map/maplibre-worker.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
