import { useStrings } from '../app/i18n.tsx';
import { HEX_RAMP } from './hex-ramp.ts';

export interface HexLegendProps {
  readonly cellMeters: number;
  readonly maxCount: number;
  readonly className?: string;
}

/** The hexagons' scale: cases per hexagon from 1 to the busiest, and how wide a hexagon is. */
export function HexLegend({ cellMeters, maxCount, className = '' }: HexLegendProps) {
  const strings = useStrings();
  const gradient = `linear-gradient(to right, ${HEX_RAMP.map(([r, g, b, a]) => `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`).join(', ')})`;
  return (
    <div className={`case-legend hex-legend ${className}`} data-testid="hex-legend">
      <div className="hex-legend__title">{strings.hexLegendTitle(strings.meters(cellMeters))}</div>
      <div className="hex-legend__scale">
        <span>1</span>
        <span className="hex-legend__ramp" style={{ background: gradient }} />
        <span>{strings.count(Math.max(1, maxCount))}</span>
      </div>
    </div>
  );
}
