/**
 * Every piece of text the client shows, in one place. Chinese is the default; a language toggle
 * (a later issue) adds an `en: Strings` beside `zhCN` and chooses between them.
 */
export interface Strings {
  readonly appTitle: string;
  readonly appSubtitle: string;
  readonly districtSummary: (streets: number, communities: number, grids: number) => string;
  readonly loadingGeography: string;
  readonly serverUnreachable: string;
  readonly serverUnreachableHint: string;
  readonly loadFailed: string;
  readonly retry: string;
  readonly webglUnavailable: string;
  readonly mapError: (detail: string) => string;
  readonly mapLabel: string;
  readonly panelLabel: string;
  readonly hint: string;
  readonly hintDetail: string;
  readonly routing: string;
  readonly street: string;
  readonly town: string;
  readonly community: string;
  readonly grid: string;
  readonly area: (areaSquareMeters: number) => string;
  readonly onBoundary: string;
  readonly peopleHeading: string;
  readonly peopleLoading: string;
  readonly onDuty: string;
  readonly offDuty: string;
  readonly servesGrids: (gridCount: number) => string;
  readonly phone: string;
  readonly unknownDepartment: (code: string) => string;
  readonly outsideNearest: (gridName: string, distance: string) => string;
  readonly outsideNoNearest: string;
  readonly openNearest: string;
  readonly gridNotFound: (code: string) => string;
  readonly notAGridCode: (code: string) => string;
  readonly requestFailed: (detail: string) => string;
  readonly clearSelection: string;
  readonly meters: (meters: number) => string;
}

const number = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const squareKilometers = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const zhCN: Strings = {
  appTitle: '海淀区网格指挥',
  appSubtitle: '网格化城市管理',
  districtSummary: (streets, communities, grids) => `${streets} 个街镇 · ${communities} 个社区（村） · ${number.format(grids)} 个网格`,
  loadingGeography: '正在加载辖区地理数据…',
  serverUnreachable: '无法连接服务器',
  serverUnreachableHint: '请确认网格指挥服务已启动（npm start），然后重试。',
  loadFailed: '地理数据加载失败',
  retry: '重试',
  webglUnavailable: '此浏览器无法创建 WebGL 画布，地图无法显示。',
  mapError: (detail) => `地图绘制出错：${detail}`,
  mapLabel: '海淀区网格地图',
  panelLabel: '网格详情',
  hint: '点击地图上的任意位置',
  hintDetail: '查看该处所属的街道、社区和网格，以及负责该网格的人员。',
  routing: '正在定位网格…',
  street: '街道',
  town: '镇',
  community: '社区（村）',
  grid: '网格',
  area: (areaSquareMeters) => `面积 ${squareKilometers.format(areaSquareMeters / 1e6)} 平方公里`,
  onBoundary: '该点位于网格边界上，按规则归入此网格。',
  peopleHeading: '网格责任人员',
  peopleLoading: '正在加载人员…',
  onDuty: '在岗',
  offDuty: '不在岗',
  servesGrids: (gridCount) => `服务 ${number.format(gridCount)} 个网格`,
  phone: '电话',
  unknownDepartment: (code) => `部门 ${code}`,
  outsideNearest: (gridName, distance) => `不在任何网格内——最近网格：${gridName}，${distance}`,
  outsideNoNearest: '不在任何网格内。',
  openNearest: '查看最近的网格',
  gridNotFound: (code) => `没有编码为 ${code} 的网格。`,
  notAGridCode: (code) => `“${code}” 不是网格编码（应为 15 位数字）。`,
  requestFailed: (detail) => `请求失败：${detail}`,
  clearSelection: '关闭',
  meters: (meters) => `${number.format(meters)} 米`,
};

/** The strings in use. */
export const strings: Strings = zhCN;
