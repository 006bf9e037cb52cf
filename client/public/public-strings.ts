/**
 * Every piece of text the public page shows, in Simplified Chinese (the default) and English.
 * The same shape as the command centre's strings (client/app/strings.ts), kept apart because the
 * public page says different things to a different audience.
 */
export type PublicLang = 'zh' | 'en';

export interface PublicStrings {
  /** BCP 47 tag for <html lang> and number/date formatting. */
  readonly locale: string;
  readonly title: string;
  readonly subtitle: string;
  readonly switchLanguage: string;
  readonly switchLanguageLabel: string;
  readonly panelLabel: string;
  readonly hintTitle: string;
  readonly hintDetail: string;
  readonly findHeading: string;
  readonly lng: string;
  readonly lat: string;
  readonly find: string;
  readonly coordinatesInvalid: string;
  readonly locating: string;
  readonly loadingMap: string;
  readonly mapLoadFailed: string;
  readonly retry: string;
  readonly street: string;
  readonly community: string;
  readonly grid: string;
  readonly peopleHeading: string;
  readonly noPeople: string;
  readonly columnName: string;
  readonly columnDepartment: string;
  readonly columnDuty: string;
  readonly columnPhone: string;
  readonly callPhone: (name: string, phone: string) => string;
  readonly outsideNearest: (gridName: string, meters: number) => string;
  readonly outsideNoNearest: string;
  readonly serverUnreachable: string;
  readonly storeUnavailable: string;
  readonly invalidInput: (detail: string) => string;
  readonly requestFailed: (detail: string) => string;
  readonly reportHeading: string;
  readonly reportIntro: string;
  readonly category: string;
  readonly chooseCategory: string;
  readonly categoriesLoading: string;
  readonly categoriesFailed: string;
  readonly description: string;
  readonly descriptionCount: (used: number, limit: number) => string;
  readonly reporterName: string;
  readonly reporterPhone: string;
  readonly optional: string;
  readonly submit: string;
  readonly submitting: string;
  readonly reportOutside: (detail: string) => string;
  readonly reportInvalid: (detail: string) => string;
  readonly reportFiled: string;
  readonly caseNumber: string;
  readonly acceptDue: string;
  readonly resolveDue: string;
  readonly noDeadline: string;
  readonly keepNumber: string;
  readonly reportAnother: string;
}

const zhNumber = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const enNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

export const zhCN: PublicStrings = {
  locale: 'zh-CN',
  title: '海淀区网格实名制公示',
  subtitle: '查看您所在网格的责任人员，反映身边的问题',
  switchLanguage: 'English',
  switchLanguageLabel: 'Switch to English',
  panelLabel: '网格公示',
  hintTitle: '点击地图上的任意位置',
  hintDetail: '查看该处所属的街道、社区和网格，以及为该网格服务的工作人员及其工作电话。',
  findHeading: '按坐标查找',
  lng: '经度',
  lat: '纬度',
  find: '查找',
  coordinatesInvalid: '请输入经度（−180 至 180）和纬度（−90 至 90）的数字。',
  locating: '正在查找所属网格…',
  loadingMap: '正在加载地图…',
  mapLoadFailed: '地图数据加载失败',
  retry: '重试',
  street: '街道（镇）',
  community: '社区（村）',
  grid: '网格',
  peopleHeading: '网格工作人员',
  noPeople: '该网格暂无公示人员。',
  columnName: '姓名',
  columnDepartment: '部门',
  columnDuty: '职责',
  columnPhone: '工作电话',
  callPhone: (name, phone) => `拨打 ${name} 的工作电话 ${phone}`,
  outsideNearest: (gridName, meters) => `该位置不在海淀区的网格内。最近的网格是“${gridName}”，相距约 ${zhNumber.format(meters)} 米。`,
  outsideNoNearest: '该位置不在海淀区的网格内。',
  serverUnreachable: '无法连接服务器，请检查网络后重试。',
  storeUnavailable: '服务暂时不可用，请稍后再试。',
  invalidInput: (detail) => `输入有误：${detail}`,
  requestFailed: (detail) => `请求失败：${detail}`,
  reportHeading: '在此处反映问题',
  reportIntro: '问题将按位置转交该网格的责任部门处理。',
  category: '问题类别',
  chooseCategory: '请选择类别',
  categoriesLoading: '正在加载问题类别…',
  categoriesFailed: '问题类别加载失败，暂时无法提交。',
  description: '问题描述',
  descriptionCount: (used, limit) => `${zhNumber.format(used)} / ${zhNumber.format(limit)} 字`,
  reporterName: '您的姓名',
  reporterPhone: '联系电话',
  optional: '（选填）',
  submit: '提交',
  submitting: '正在提交…',
  reportOutside: (detail) => `该位置不在网格内，无法提交：${detail}`,
  reportInvalid: (detail) => `提交的内容有误：${detail}`,
  reportFiled: '已受理，感谢您的反映。',
  caseNumber: '案件编号',
  acceptDue: '受理时限',
  resolveDue: '办结时限',
  noDeadline: '—',
  keepNumber: '请保存案件编号，以便查询办理进度。',
  reportAnother: '再反映一个问题',
};

export const en: PublicStrings = {
  locale: 'en-GB',
  title: 'Haidian grid disclosure board',
  subtitle: 'Who serves your grid, and how to report a problem',
  switchLanguage: '中文',
  switchLanguageLabel: '切换到中文',
  panelLabel: 'Grid disclosure',
  hintTitle: 'Click anywhere on the map',
  hintDetail: 'to see the street, community and grid of that place, and the staff who serve the grid with their work phones.',
  findHeading: 'Find by coordinates',
  lng: 'Longitude',
  lat: 'Latitude',
  find: 'Find',
  coordinatesInvalid: 'Enter a longitude (−180 to 180) and a latitude (−90 to 90) as numbers.',
  locating: 'Finding the grid…',
  loadingMap: 'Loading the map…',
  mapLoadFailed: 'The map data could not be loaded',
  retry: 'Retry',
  street: 'Street / town',
  community: 'Community',
  grid: 'Grid',
  peopleHeading: 'Staff serving this grid',
  noPeople: 'No staff are listed for this grid yet.',
  columnName: 'Name',
  columnDepartment: 'Department',
  columnDuty: 'Duty',
  columnPhone: 'Work phone',
  callPhone: (name, phone) => `Call ${name} at ${phone}`,
  outsideNearest: (gridName, meters) => `This place is outside every grid of Haidian. The nearest grid is “${gridName}”, about ${enNumber.format(meters)} m away.`,
  outsideNoNearest: 'This place is outside every grid of Haidian.',
  serverUnreachable: 'The server cannot be reached. Check your connection and try again.',
  storeUnavailable: 'The service is temporarily unavailable. Please try again shortly.',
  invalidInput: (detail) => `Invalid input: ${detail}`,
  requestFailed: (detail) => `The request failed: ${detail}`,
  reportHeading: 'Report a problem here',
  reportIntro: 'Your report goes to the department responsible for this grid.',
  category: 'Category',
  chooseCategory: 'Choose a category',
  categoriesLoading: 'Loading the categories…',
  categoriesFailed: 'The categories could not be loaded; reports cannot be sent just now.',
  description: 'Description',
  descriptionCount: (used, limit) => `${enNumber.format(used)} / ${enNumber.format(limit)} characters`,
  reporterName: 'Your name',
  reporterPhone: 'Phone',
  optional: ' (optional)',
  submit: 'Send',
  submitting: 'Sending…',
  reportOutside: (detail) => `This place is outside every grid, so the report cannot be sent: ${detail}`,
  reportInvalid: (detail) => `The report was refused: ${detail}`,
  reportFiled: 'Received. Thank you for your report.',
  caseNumber: 'Case number',
  acceptDue: 'To be accepted by',
  resolveDue: 'To be resolved by',
  noDeadline: '—',
  keepNumber: 'Keep the case number to follow up on your report.',
  reportAnother: 'Report another problem',
};

export const publicStrings: Readonly<Record<PublicLang, PublicStrings>> = { zh: zhCN, en };

/** A deadline (ISO 8601) as Beijing local time, in the page's language. */
export function formatDeadline(iso: string | null, strings: PublicStrings): string {
  if (iso === null) return strings.noDeadline;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(strings.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(date);
}
