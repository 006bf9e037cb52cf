/**
 * maplibre-gl 6 is ESM-only and finds its worker through import.meta.url, which a bundle breaks.
 * Vite copies the (self-contained) worker module into the build as an asset and gives us its URL;
 * maplibre starts it as a module worker because the name ends in .mjs. Same origin, no blob, no CDN.
 */
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

setWorkerUrl(workerUrl);
