/**
 * Area fills (choropleths) on a 2D canvas of their own beneath the map's, following its camera.
 * While it shows a fill it also draws the district's ground (maplibre's background and district fill
 * are hidden then; the background colour is the canvas's own), so the map's outlines stay on top of
 * the colours as before.
 *
 * Why not maplibre's own fill layers: where there is no GPU (a software renderer, as in headless
 * browsers and some control-room PCs) every map frame is drawn on the CPU and read back on the main
 * thread, ~150 ms for this map with its outlines on an idle machine and twice that under load, and a
 * live fill changes every second. Flat colour is what a 2D canvas does cheaply and without a GPU:
 * a change here fills a few hundred polygons (a few milliseconds) and the map itself does not
 * repaint at all while cases stream in. The shapes are projected to Web Mercator once per set of
 * areas; each frame only applies the camera (an affine map while the map is not pitched).
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { GeographyData } from '../state/geography-data.ts';
import { type AreaFill, areaFillRgb, areasWithValues } from './area-fill.ts';
import { type BasemapTheme, basemapGround, LAYER } from './basemap-style.ts';

/** Area fills are this opaque (the district's ground and the basemap's lines stay readable through them). */
const AREA_FILL_OPACITY = 0.72;

interface Area {
  readonly properties: { readonly code: string };
  readonly geometry: { readonly coordinates: readonly (readonly (readonly (readonly number[])[])[])[] };
}

/** Polygons in Web Mercator (0..1 across the world), flat: each shape's rings, each ring's points. */
interface Shapes {
  readonly xy: Float64Array;
  /** Start of each ring in points, and one past the last. */
  readonly rings: Int32Array;
  /** First ring of each shape, and one past the last. */
  readonly shapes: Int32Array;
  /** lng/lat of every point, for a pitched camera (projected point by point). */
  readonly lngLat: Float64Array;
}

function shapesOf(areas: readonly Area[]): Shapes {
  let points = 0;
  let ringCount = 0;
  for (const area of areas)
    for (const polygon of area.geometry.coordinates)
      for (const ring of polygon) {
        points += ring.length;
        ringCount += 1;
      }
  const xy = new Float64Array(points * 2);
  const lngLat = new Float64Array(points * 2);
  const rings = new Int32Array(ringCount + 1);
  const shapes = new Int32Array(areas.length + 1);
  let p = 0;
  let r = 0;
  areas.forEach((area, i) => {
    shapes[i] = r;
    for (const polygon of area.geometry.coordinates)
      for (const ring of polygon) {
        rings[r++] = p;
        for (const [lng, lat] of ring) {
          lngLat[p * 2] = lng!;
          lngLat[p * 2 + 1] = lat!;
          xy[p * 2] = (lng! + 180) / 360;
          const sin = Math.sin((lat! * Math.PI) / 180);
          xy[p * 2 + 1] = 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
          p += 1;
        }
      }
  });
  rings[r] = p;
  shapes[areas.length] = r;
  return { xy, rings, shapes, lngLat };
}

/** Web Mercator (0..1) → lng/lat. */
function lngLatOf(x: number, y: number): [number, number] {
  return [x * 360 - 180, (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI];
}

/** What the area canvas exposes to end-to-end tests and benchmarks (window.__gridCommandAreas). */
export interface AreaCanvasProbe {
  /** The level filled now (undefined: no fill shown). */
  readonly level: AreaFill['level'] | undefined;
  /** Areas drawn with a colour. */
  readonly areas: number;
  /** Frames the canvas has drawn. */
  readonly draws: number;
  /** Draws a frame now (diagnostics: what a frame of the canvas costs). */
  redraw(): void;
}

declare global {
  interface Window {
    __gridCommandAreas?: AreaCanvasProbe;
  }
}

export class AreaCanvas {
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly ground: ReturnType<typeof basemapGround>;
  private fill: AreaFill | undefined;
  private geography: GeographyData | undefined;
  /** Grid fills are drawn from this zoom (where the map draws grid outlines). */
  private gridMinZoom = 0;
  /** The areas filled now (undefined: no fill shown), their shapes, and each one's colour. */
  private areas: readonly Area[] | undefined;
  private areasLevel: AreaFill['level'] | undefined;
  private areaShapes: Shapes | undefined;
  private colors: string[] = [];
  private district: Shapes | undefined;
  private districtSource: GeographyData['district'] | undefined;
  /** The camera and size last drawn for ('' : draw at the next chance). */
  private drawnFor = '';
  /** Whether the canvas shows the ground now (and maplibre's is hidden). */
  private showing = false;
  private removed = false;
  private draws = 0;
  private readonly probe: AreaCanvasProbe;
  /** In the map's own frame, so that the areas do not trail the outlines while the camera moves. */
  private readonly onRender = (): void => {
    if (this.areas !== undefined && this.cameraKey() !== this.drawnFor) this.draw();
  };

  constructor(
    private readonly map: MapLibreMap,
    theme: BasemapTheme,
  ) {
    this.ground = basemapGround(theme);
    const canvas = document.createElement('canvas');
    canvas.className = 'map-view__areas';
    Object.assign(canvas.style, { position: 'absolute', left: '0', top: '0', pointerEvents: 'none', background: this.ground.background });
    canvas.hidden = true;
    this.canvas = canvas;
    this.context = canvas.getContext('2d')!;
    // Beneath maplibre's canvas (a later sibling, so drawn over it).
    map.getContainer().insertBefore(canvas, map.getContainer().firstChild);
    map.on('render', this.onRender);
    const self = (): AreaCanvas => this;
    this.probe = {
      get level() {
        return self().areas === undefined ? undefined : self().fill?.level;
      },
      get areas() {
        return self().areas?.length ?? 0;
      },
      get draws() {
        return self().draws;
      },
      redraw: () => this.draw(),
    };
    window.__gridCommandAreas = this.probe;
  }

  /** The fill to draw (undefined: none, the map shows its own ground) over the geography's areas. */
  set(fill: AreaFill | undefined, geography: GeographyData | undefined, gridMinZoom: number): void {
    if (fill === this.fill && geography === this.geography && gridMinZoom === this.gridMinZoom) return;
    this.fill = fill;
    this.geography = geography;
    this.gridMinZoom = gridMinZoom;
    this.update();
  }

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    if (window.__gridCommandAreas === this.probe) delete window.__gridCommandAreas;
    this.map.off('render', this.onRender);
    this.showMapGround(true);
    this.canvas.remove();
  }

  private update(): void {
    if (this.removed) return;
    const fill = this.fill;
    const geography = this.geography;
    if (!fill || !geography) {
      if (this.areas === undefined) return;
      this.areas = undefined;
      this.areasLevel = undefined;
      this.areaShapes = undefined;
      // The map's own ground first; the canvas goes once the map has drawn it (no bare frame between).
      this.showMapGround(true);
      this.map.once('render', () => {
        if (this.areas === undefined) this.canvas.hidden = true;
      });
      this.map.triggerRepaint();
      return;
    }
    const all = (fill.level === 'street' ? geography.streets.features : fill.level === 'community' ? geography.communities.features : geography.grids.features) as readonly Area[];
    const areas = areasWithValues(all, fill.values, this.areasLevel === fill.level ? this.areas : undefined);
    if (areas !== this.areas || !this.areaShapes) this.areaShapes = shapesOf(areas);
    this.areas = areas;
    this.areasLevel = fill.level;
    if (geography.district !== this.districtSource) {
      this.districtSource = geography.district;
      this.district = shapesOf(geography.district.features as readonly Area[]);
    }
    const { values, scheme, max } = fill;
    this.colors = areas.map((area) => {
      const [r, g, b] = areaFillRgb(scheme, max, values.get(area.properties.code) ?? 0);
      return `rgb(${r},${g},${b})`;
    });
    this.draw();
    this.canvas.hidden = false;
    // Drawn now, shown with the map's next frame: the map's own ground can go.
    if (!this.showing) this.showMapGround(false);
  }

  /** The camera (and canvas size) a frame is drawn for: when it has not changed, neither has the frame. */
  private cameraKey(): string {
    const map = this.map;
    const { lng, lat } = map.getCenter();
    const { clientWidth, clientHeight } = map.getContainer();
    return `${lng},${lat},${map.getZoom()},${map.getBearing()},${map.getPitch()},${clientWidth}x${clientHeight},${window.devicePixelRatio}`;
  }

  private draw(): void {
    if (this.removed || !this.areas || !this.areaShapes) return;
    this.draws += 1;
    this.drawnFor = this.cameraKey();
    const map = this.map;
    const { clientWidth, clientHeight } = map.getContainer();
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(clientWidth * ratio);
    const height = Math.round(clientHeight * ratio);
    const canvas = this.canvas;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
      canvas.style.width = `${clientWidth}px`;
      canvas.style.height = `${clientHeight}px`;
    } else {
      this.context.clearRect(0, 0, width, height);
    }
    const context = this.context;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const project = this.projection();
    if (this.district) {
      context.globalAlpha = 1;
      context.fillStyle = this.ground.districtFill;
      for (let shape = 0; shape + 1 < this.district.shapes.length; shape++) this.fillShape(this.district, shape, project);
    }
    const gridsHidden = this.fill?.level === 'grid' && map.getZoom() < this.gridMinZoom;
    if (!gridsHidden) {
      context.globalAlpha = AREA_FILL_OPACITY;
      for (let shape = 0; shape < this.areas.length; shape++) {
        context.fillStyle = this.colors[shape]!;
        this.fillShape(this.areaShapes, shape, project);
      }
    }
  }

  /**
   * Screen position (CSS pixels) of a point given as Mercator x, y or (pitched) by its index. Not
   * pitched, the camera is an affine map, taken from three points projected by maplibre itself.
   */
  private projection(): (shapes: Shapes, point: number) => [number, number] {
    const map = this.map;
    if (map.getPitch() !== 0) {
      return (shapes, point) => {
        const { x, y } = map.project([shapes.lngLat[point * 2]!, shapes.lngLat[point * 2 + 1]!]);
        return [x, y];
      };
    }
    const { lng, lat } = map.getCenter();
    const x0 = (lng + 180) / 360;
    const sin = Math.sin((lat * Math.PI) / 180);
    const y0 = 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
    const step = 1 / 2 ** (map.getZoom() + 9);
    const origin = map.project(lngLatOf(x0, y0));
    const alongX = map.project(lngLatOf(x0 + step * 100, y0));
    const alongY = map.project(lngLatOf(x0, y0 + step * 100));
    const a = (alongX.x - origin.x) / (step * 100);
    const b = (alongY.x - origin.x) / (step * 100);
    const c = (alongX.y - origin.y) / (step * 100);
    const d = (alongY.y - origin.y) / (step * 100);
    const result: [number, number] = [0, 0];
    return (shapes, point) => {
      const dx = shapes.xy[point * 2]! - x0;
      const dy = shapes.xy[point * 2 + 1]! - y0;
      result[0] = origin.x + a * dx + b * dy;
      result[1] = origin.y + c * dx + d * dy;
      return result;
    };
  }

  /** One area (every ring of every polygon of it) as one even-odd path: holes stay holes. */
  private fillShape(shapes: Shapes, shape: number, project: (shapes: Shapes, point: number) => [number, number]): void {
    const context = this.context;
    context.beginPath();
    for (let ring = shapes.shapes[shape]!; ring < shapes.shapes[shape + 1]!; ring++) {
      const end = shapes.rings[ring + 1]!;
      for (let point = shapes.rings[ring]!; point < end; point++) {
        const [x, y] = project(shapes, point);
        if (point === shapes.rings[ring]) context.moveTo(x, y);
        else context.lineTo(x, y);
      }
      context.closePath();
    }
    context.fill('evenodd');
  }

  private showMapGround(visible: boolean): void {
    this.showing = !visible;
    const visibility = visible ? 'visible' : 'none';
    for (const layer of [LAYER.background, LAYER.districtFill]) {
      if (this.map.getLayer(layer) && this.map.getLayoutProperty(layer, 'visibility') !== visibility) this.map.setLayoutProperty(layer, 'visibility', visibility);
    }
  }
}
