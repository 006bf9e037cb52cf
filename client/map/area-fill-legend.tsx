import { AREA_FILL_RAMPS, type AreaFill, COVERAGE_GAP_COLOR, scaleMax } from './area-fill.ts';

export interface AreaFillLegendProps {
  readonly fill: Pick<AreaFill, 'scheme' | 'max'>;
  /** What the values are (the caller's words: "open cases", "hours to the nearest deadline"…). */
  readonly title?: string;
  /** How a value is written (default: a whole number). */
  readonly format?: (value: number) => string;
  readonly className?: string;
}

const number = (value: number): string => Math.round(value).toLocaleString();

/** The scale of an area fill as the map draws it: a gradient from 0 to the scale's top (coverage: the red gap, then 1 to the top). */
export function AreaFillLegend({ fill, title, format = number, className = '' }: AreaFillLegendProps) {
  const colors = AREA_FILL_RAMPS[fill.scheme];
  const gradient = `linear-gradient(to right, ${colors.join(', ')})`;
  const coverage = fill.scheme === 'coverage';
  return (
    <div className={`case-legend area-fill-legend ${className}`} data-testid="area-fill-legend" data-scheme={fill.scheme}>
      {title && <div style={{ fontWeight: 600, marginBottom: 4 }}>{title}</div>}
      <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        {coverage && (
          <>
            <span style={{ display: 'inline-block', width: 14, height: 10, background: COVERAGE_GAP_COLOR, borderRadius: 2 }} />
            <span>{format(0)}</span>
          </>
        )}
        <span>{format(coverage ? 1 : 0)}</span>
        <span style={{ display: 'inline-block', width: 96, height: 10, background: gradient, borderRadius: 2 }} />
        <span>{format(scaleMax(fill.max))}</span>
      </div>
    </div>
  );
}
