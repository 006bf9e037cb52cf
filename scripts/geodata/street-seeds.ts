import type { LngLat } from '../../core/geo/lng-lat.ts';

/**
 * Rough WGS-84 positions of the middle of each of Haidian's 29 streets/towns, written down from
 * general knowledge of the district (not surveyed, not from any boundary data). They seed the
 * Voronoi cells that stand in for the street outlines, so that 香山 lies in the west hills and
 * 中关村 in the south-east: the outlines are illustrative, the names and codes are real.
 */
export const STREET_SEEDS: Readonly<Record<string, LngLat>> = {
  万寿路街道: [116.285, 39.912],
  永定路街道: [116.262, 39.907],
  羊坊店街道: [116.323, 39.903],
  甘家口街道: [116.318, 39.924],
  八里庄街道: [116.292, 39.929],
  紫竹院街道: [116.314, 39.944],
  北下关街道: [116.345, 39.953],
  北太平庄街道: [116.362, 39.968],
  学院路街道: [116.349, 39.997],
  中关村街道: [116.322, 39.979],
  海淀街道: [116.303, 39.971],
  青龙桥街道: [116.268, 40.005],
  清华园街道: [116.329, 40.004],
  燕园街道: [116.305, 39.991],
  香山街道: [116.195, 39.995],
  清河街道: [116.338, 40.033],
  花园路街道: [116.371, 39.982],
  西三旗街道: [116.352, 40.062],
  马连洼街道: [116.272, 40.035],
  田村路街道: [116.255, 39.930],
  上地街道: [116.305, 40.036],
  万柳地区: [116.288, 39.960],
  东升地区: [116.350, 40.018],
  曙光街道: [116.280, 39.951],
  温泉地区: [116.185, 40.045],
  四季青地区: [116.235, 39.962],
  西北旺地区: [116.252, 40.068],
  苏家坨地区: [116.115, 40.085],
  上庄地区: [116.205, 40.105],
};
