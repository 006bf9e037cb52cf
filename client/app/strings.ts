/**
 * Every piece of text the client shows, in one place: Simplified Chinese (the default) and English,
 * chosen in the header (`?lang=en` keeps the choice in the URL, as the public page does). Numbers,
 * dates and durations are formatted here too, with Intl for the language's locale; times are Beijing
 * time (the district's), wherever the screen is. Components read the strings in use with
 * `useStrings()` (app/i18n.tsx); `strings` is the default language's, for tests and for code outside React.
 */
import type { Role } from '../../core/access/actor.ts';
import type { CaseCommandType } from '../../core/case-loop/case-command.ts';
import type { CaseEventType, CaseStatus, Tier } from '../../core/cases/case-summary.ts';
import type { Channel } from '../../core/cases/report.ts';
import type { HotspotMeasure } from '../../core/protocol/analytics-api.ts';
import type { FillMeasure, Workspace } from '../state/view-url.ts';

export type Lang = 'zh' | 'en';

export type LiveStatus = 'open' | 'queued' | 'dispatched' | 'handling' | 'feedback' | 'linked';

/** Command fields a form asks for (see client/panels/command-form.tsx). */
export type CommandField =
  | 'reason'
  | 'note'
  | 'personId'
  | 'intoCaseNumber'
  | 'until'
  | 'approve'
  | 'result'
  | 'passed'
  | 'score'
  | 'comment'
  | 'fixed'
  | 'escalateReason'
  | 'unit'
  | 'dueAt'
  | 'requirements'
  | 'answer'
  | 'gridCode';

export interface Strings {
  /** BCP 47 tag for <html lang> and Intl formatting. */
  readonly locale: string;
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

  // ---- language, modes ----
  /** The other language's name, in that language (the switch's label). */
  readonly switchLanguage: string;
  readonly switchLanguageLabel: string;
  readonly wallMode: string;
  readonly commandMode: string;

  // ---- session ----
  readonly signIn: string;
  readonly signOut: string;
  readonly signInTitle: string;
  readonly signInIntro: string;
  readonly username: string;
  readonly password: string;
  readonly signInSubmit: string;
  readonly signingIn: string;
  readonly cancel: string;
  readonly wrongCredentials: string;
  readonly accountDisabled: string;
  readonly tooManyAttempts: (waitSeconds: number) => string;
  readonly signInUnreachable: string;
  readonly signInFailed: (detail: string) => string;
  readonly sessionEnded: string;
  readonly checkingSession: string;
  readonly accountLabel: string;
  readonly roleName: (role: Role) => string;
  readonly scopeDistrict: string;
  readonly scopeStreet: (name: string) => string;
  readonly scopeGrids: (firstGrid: string, count: number) => string;
  readonly scopeDepartment: (name: string) => string;
  readonly liveNeedsSignIn: string;
  readonly liveNotForRole: string;

  // ---- connection ----
  readonly connectionLabel: string;
  readonly connConnecting: string;
  readonly connLive: string;
  readonly connReconnecting: (attempt: number) => string;
  readonly connCatchingUp: string;
  readonly connOfflineSince: (time: string) => string;
  readonly connRefused: (detail: string) => string;
  readonly connLostAt: (time: string) => string;

  // ---- cases on the map ----
  readonly statusName: (status: CaseStatus) => string;
  readonly tierName: (tier: Tier) => string;
  readonly channelName: (channel: Channel) => string;
  readonly legendLabel: string;
  readonly legendOverdue: string;
  readonly legendEscalated: string;
  readonly legendSize: string;
  readonly casesLabel: string;
  readonly caseNumber: string;
  readonly category: string;
  readonly status: string;
  readonly severity: string;
  readonly assignee: string;
  readonly unassigned: string;
  readonly queueOf: (queue: 'street' | 'district') => string;
  readonly deadlineName: (which: 'accept' | 'resolve') => string;
  readonly timeLeft: (duration: string) => string;
  readonly overdueBy: (duration: string) => string;
  readonly noDeadline: string;
  readonly awaitingVerification: string;
  readonly markedOverdue: string;
  readonly escalatedTo: (tier: string) => string;
  readonly duration: (ms: number) => string;
  readonly dateTime: (ms: number) => string;
  readonly time: (ms: number) => string;
  readonly clockTime: (ms: number) => string;
  readonly clockDate: (ms: number) => string;
  readonly count: (n: number) => string;
  readonly percent: (fraction: number) => string;
  readonly noValue: string;

  // ---- case panel ----
  readonly casePanelLabel: string;
  readonly caseLoading: string;
  readonly caseNotFound: (caseNumber: string) => string;
  readonly caseClosedNote: (status: string) => string;
  readonly reportedAt: string;
  readonly channel: string;
  readonly tier: string;
  readonly description: string;
  readonly reportsCount: (n: number) => string;
  readonly duplicateOf: (caseNumber: string) => string;
  readonly nearBoundary: (gridCode: string, meters: number) => string;
  readonly deadlines: string;
  readonly acceptedAt: string;
  readonly extensionPending: string;
  readonly formalNotice: (due: string) => string;
  readonly timelineHeading: string;
  readonly timelineLoading: string;
  readonly timelineFailed: (detail: string) => string;
  readonly eventName: (type: CaseEventType) => string;
  readonly systemActor: string;
  readonly dispatchedTo: (name: string) => string;
  readonly eventNote: (label: string, text: string) => string;
  readonly commandsHeading: string;
  readonly noCommands: string;
  readonly commandName: (type: CaseCommandType) => string;
  readonly commandSubmit: string;
  readonly commandSending: string;
  readonly commandDone: (name: string) => string;
  readonly commandRefused: (detail: string) => string;
  readonly fieldLabel: (field: CommandField) => string;
  readonly yes: string;
  readonly no: string;
  readonly approve: string;
  readonly deny: string;
  readonly passed: string;
  readonly notPassed: string;
  readonly fixed: string;
  readonly notFixed: string;
  readonly escalateReason: (reason: string) => string;
  readonly choosePerson: string;
  readonly peopleOfGrid: string;

  // ---- KPI tiles ----
  readonly kpiOpen: string;
  readonly kpiNewLastHour: string;
  readonly kpiOverdue: string;
  readonly kpiEscalated: string;
  readonly kpiClosedToday: string;
  readonly kpiOnTimeRate: string;
  readonly kpiOpenHelp: string;
  readonly kpiNewLastHourHelp: (countingSince: string | undefined) => string;
  readonly kpiOverdueHelp: string;
  readonly kpiEscalatedHelp: string;
  readonly kpiClosedTodayHelp: (countingSince: string | undefined) => string;
  readonly kpiOnTimeRateHelp: string;

  // ---- wall ----
  readonly wallTitle: string;
  readonly wallArea: (name: string) => string;
  readonly tickerHeading: string;
  readonly tickerEmpty: string;
  readonly tickerKind: (kind: 'new' | 'escalated') => string;
  readonly fullScreen: string;
  readonly focusing: (caseNumber: string) => string;

  // ---- drill-down, queue, analyst, staffing ----
  readonly workspaceLabel: string;
  readonly workspaceName: (workspace: Workspace) => string;
  readonly breadcrumbsLabel: string;
  readonly districtFallback: string;
  readonly areaLevelName: (level: 'street' | 'community' | 'grid') => string;
  readonly childAreasHeading: (level: 'street' | 'community' | 'grid') => string;
  readonly fillLabel: string;
  readonly fillName: (measure: FillMeasure) => string;
  readonly allCategories: string;
  readonly addCategory: string;
  readonly removeFilter: string;
  readonly queueHeading: string;
  readonly queueOverdue: (n: number) => string;
  readonly queueEmpty: string;
  readonly queueMore: (n: number) => string;
  readonly queueNeedsLive: string;
  readonly gridFiguresHeading: string;
  readonly received30Days: string;
  readonly onTime30Days: string;
  readonly repeatReports: string;
  readonly figuresUnavailable: string;
  readonly figuresLoading: string;
  readonly windowLabel: string;
  readonly lastDays: (days: number) => string;
  readonly windowFrom: string;
  readonly windowTo: string;
  readonly windowSummary: (from: string, to: string) => string;
  readonly exportLabel: string;
  readonly hotspotsHeading: string;
  readonly hotspotMeasure: (measure: HotspotMeasure) => string;
  readonly noHotspots: string;
  readonly figureColumn: (column: 'received' | 'open' | 'overdueNow' | 'closed' | 'onTimeRate' | 'repeatReports') => string;
  readonly departmentsHeading: string;
  readonly department: string;
  readonly allDepartments: string;
  readonly gridsLabel: string;
  readonly coverageGaps: string;
  readonly gridsWithNobody: string;
  readonly manyGridPeople: string;
  readonly noGaps: string;
  readonly andMore: (n: number) => string;
  readonly staffLoadHeading: string;
  readonly personLabel: string;
  readonly liveFillTitle: (measure: string, level: string) => string;
  readonly staffingFillTitle: (grids: boolean, oneDepartment: boolean) => string;
  readonly hexLegendTitle: (cell: string) => string;
}

const STATUS_ZH: Record<CaseStatus, string> = {
  queued: '待派遣',
  dispatched: '已派遣',
  handling: '处置中',
  feedback: '待核查',
  linked: '疑似重复',
  closed: '已结案',
  rejected: '不予受理',
  merged: '已合并',
};
const STATUS_EN: Record<CaseStatus, string> = {
  queued: 'Queued',
  dispatched: 'Dispatched',
  handling: 'In hand',
  feedback: 'To verify',
  linked: 'Likely duplicate',
  closed: 'Closed',
  rejected: 'Rejected',
  merged: 'Merged',
};

const ROLE_ZH: Record<Role, string> = {
  'district-dispatcher': '区中心调度员',
  'street-dispatcher': '街镇分中心调度员',
  'grid-worker': '网格员',
  'department-staff': '专业部门人员',
  verifier: '核查员',
  analyst: '分析员',
  admin: '管理员',
};
const ROLE_EN: Record<Role, string> = {
  'district-dispatcher': 'District dispatcher',
  'street-dispatcher': 'Street dispatcher',
  'grid-worker': 'Grid worker',
  'department-staff': 'Department staff',
  verifier: 'Verifier',
  analyst: 'Analyst',
  admin: 'Administrator',
};

const CHANNEL_ZH: Record<Channel, string> = {
  patrol: '巡查上报',
  hotline: '12345 热线',
  'resident-app': '居民上报',
  sensor: '物联感知',
  video: '视频发现',
  referral: '部门转办',
  open311: 'Open311 应用',
};
const CHANNEL_EN: Record<Channel, string> = {
  patrol: 'Patrol',
  hotline: '12345 hotline',
  'resident-app': 'Resident',
  sensor: 'Sensor',
  video: 'Video',
  referral: 'Referral',
  open311: 'Open311 app',
};

const EVENT_ZH: Record<CaseEventType, string> = {
  filed: '立案',
  dispatched: '派遣',
  queued: '进入待派队列',
  linked: '关联为疑似重复',
  'me-too': '再次被上报',
  rejected: '不予受理',
  merged: '合并',
  unlinked: '解除关联',
  accepted: '受理',
  returned: '退回',
  'extension-requested': '申请延期',
  'extension-decided': '延期审批',
  feedback: '处置反馈',
  'handled-on-spot': '现场处置',
  closed: '核查通过，结案',
  rework: '核查未通过，返工',
  rated: '回访评价',
  reopened: '评价未解决，重新办理',
  escalated: '升级',
  overdue: '超期',
  'formal-deadline-set': '限期受理',
  'reporter-answered': '答复上报人',
  moved: '改划网格',
  imported: '历史导入',
};
const EVENT_EN: Record<CaseEventType, string> = {
  filed: 'Filed',
  dispatched: 'Dispatched',
  queued: 'Queued for a dispatcher',
  linked: 'Linked as a likely duplicate',
  'me-too': 'Reported again',
  rejected: 'Rejected',
  merged: 'Merged',
  unlinked: 'Unlinked',
  accepted: 'Accepted',
  returned: 'Returned',
  'extension-requested': 'Extension requested',
  'extension-decided': 'Extension decided',
  feedback: 'Result reported',
  'handled-on-spot': 'Handled on the spot',
  closed: 'Verified and closed',
  rework: 'Verification failed: rework',
  rated: 'Rated by the reporter',
  reopened: 'Reopened after rating',
  escalated: 'Escalated',
  overdue: 'Overdue',
  'formal-deadline-set': 'Formal deadline set',
  'reporter-answered': 'Reporter answered',
  moved: 'Moved to another grid',
  imported: 'Imported',
};

const COMMAND_ZH: Record<CaseCommandType, string> = {
  reject: '不予受理',
  merge: '合并到…',
  unlink: '解除关联',
  dispatch: '派遣',
  accept: '受理',
  return: '退回',
  'request-extension': '申请延期',
  'decide-extension': '审批延期',
  feedback: '反馈处置结果',
  'handle-on-spot': '现场处置',
  verify: '核查',
  rate: '回访评价',
  escalate: '升级',
  'mark-overdue': '标记超期',
  'set-formal-deadline': '限期受理',
  'answer-reporter': '答复上报人',
  move: '改划网格',
};
const COMMAND_EN: Record<CaseCommandType, string> = {
  reject: 'Reject',
  merge: 'Merge into…',
  unlink: 'Unlink',
  dispatch: 'Dispatch',
  accept: 'Accept',
  return: 'Return',
  'request-extension': 'Request extension',
  'decide-extension': 'Decide extension',
  feedback: 'Report result',
  'handle-on-spot': 'Handle on the spot',
  verify: 'Verify',
  rate: 'Record rating',
  escalate: 'Escalate',
  'mark-overdue': 'Mark overdue',
  'set-formal-deadline': 'Set formal deadline',
  'answer-reporter': 'Answer the reporter',
  move: 'Move to grid',
};

const FIELD_ZH: Record<CommandField, string> = {
  reason: '原因',
  note: '备注',
  personId: '派给',
  intoCaseNumber: '合并到案件编号',
  until: '延期至',
  approve: '审批',
  result: '处置结果',
  passed: '核查结论',
  score: '评分（1–5）',
  comment: '评价内容',
  fixed: '问题是否解决',
  escalateReason: '升级原因',
  unit: '责任单位',
  dueAt: '期限',
  requirements: '要求',
  answer: '答复内容',
  gridCode: '网格编码',
};
const FIELD_EN: Record<CommandField, string> = {
  reason: 'Reason',
  note: 'Note',
  personId: 'Dispatch to',
  intoCaseNumber: 'Merge into case number',
  until: 'Extend until',
  approve: 'Decision',
  result: 'Result',
  passed: 'Verification',
  score: 'Score (1–5)',
  comment: 'Comment',
  fixed: 'Fixed?',
  escalateReason: 'Reason',
  unit: 'Responsible unit',
  dueAt: 'Due',
  requirements: 'Requirements',
  answer: 'Answer',
  gridCode: 'Grid code',
};

const ESCALATE_ZH: Record<string, string> = {
  dispatcher: '调度员决定',
  'several-departments': '涉及多个部门',
  'accept-overdue': '超时未受理',
  'resolve-overdue': '超时未办结',
};
const ESCALATE_EN: Record<string, string> = {
  dispatcher: "dispatcher's decision",
  'several-departments': 'several departments involved',
  'accept-overdue': 'not accepted in time',
  'resolve-overdue': 'not resolved in time',
};

const BEIJING = 'Asia/Shanghai';

function formatters(locale: string) {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return {
    number,
    squareKilometers: new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    percent: new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }),
    dateTime: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: BEIJING }),
    time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BEIJING }),
    clock: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: BEIJING }),
    date: new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: BEIJING }),
  };
}

const MINUTE_MS = 60_000;

/** A duration as days/hours/minutes, the two largest units that matter. */
function durationParts(ms: number): { days: number; hours: number; minutes: number } {
  const minutes = Math.max(0, Math.floor(Math.abs(ms) / MINUTE_MS));
  return { days: Math.floor(minutes / 1_440), hours: Math.floor((minutes % 1_440) / 60), minutes: minutes % 60 };
}

const zhF = formatters('zh-CN');
const enF = formatters('en-GB');

export const zhCN: Strings = {
  locale: 'zh-CN',
  appTitle: '海淀区网格指挥',
  appSubtitle: '网格化城市管理',
  districtSummary: (streets, communities, grids) => `${streets} 个街镇 · ${communities} 个社区（村） · ${zhF.number.format(grids)} 个网格`,
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
  area: (areaSquareMeters) => `面积 ${zhF.squareKilometers.format(areaSquareMeters / 1e6)} 平方公里`,
  onBoundary: '该点位于网格边界上，按规则归入此网格。',
  peopleHeading: '网格责任人员',
  peopleLoading: '正在加载人员…',
  onDuty: '在岗',
  offDuty: '不在岗',
  servesGrids: (gridCount) => `服务 ${zhF.number.format(gridCount)} 个网格`,
  phone: '电话',
  unknownDepartment: (code) => `部门 ${code}`,
  outsideNearest: (gridName, distance) => `不在任何网格内——最近网格：${gridName}，${distance}`,
  outsideNoNearest: '不在任何网格内。',
  openNearest: '查看最近的网格',
  gridNotFound: (code) => `没有编码为 ${code} 的网格。`,
  notAGridCode: (code) => `“${code}” 不是网格编码（应为 15 位数字）。`,
  requestFailed: (detail) => `请求失败：${detail}`,
  clearSelection: '关闭',
  meters: (meters) => `${zhF.number.format(meters)} 米`,

  switchLanguage: 'English',
  switchLanguageLabel: 'Switch to English',
  wallMode: '大屏模式',
  commandMode: '指挥模式',

  signIn: '登录',
  signOut: '退出登录',
  signInTitle: '登录网格指挥',
  signInIntro: '登录后可查看辖区实时案件并处置。地图和网格信息无需登录。',
  username: '用户名',
  password: '密码',
  signInSubmit: '登录',
  signingIn: '正在登录…',
  cancel: '取消',
  wrongCredentials: '用户名或密码不正确。',
  accountDisabled: '该账户已停用，请联系管理员。',
  tooManyAttempts: (waitSeconds) => `登录失败次数过多，请在 ${durationZh(waitSeconds * 1000, true)} 后再试。`,
  signInUnreachable: '无法连接服务器，请确认服务已启动后重试。',
  signInFailed: (detail) => `登录失败：${detail}`,
  sessionEnded: '登录已失效，请重新登录。',
  checkingSession: '正在确认登录状态…',
  accountLabel: '当前账户',
  roleName: (role) => ROLE_ZH[role],
  scopeDistrict: '全区',
  scopeStreet: (name) => name,
  scopeGrids: (firstGrid, count) => (count > 1 ? `${firstGrid} 等 ${zhF.number.format(count)} 个网格` : firstGrid),
  scopeDepartment: (name) => name,
  liveNeedsSignIn: '登录后显示实时案件',
  liveNotForRole: '专业部门人员按待办清单办理案件，实时地图不适用于此角色。',

  connectionLabel: '实时连接',
  connConnecting: '正在连接…',
  connLive: '实时',
  connReconnecting: (attempt) => (attempt > 0 ? `正在重连（第 ${attempt} 次）…` : '正在重连…'),
  connCatchingUp: '正在补齐断线期间的案件…',
  connOfflineSince: (time) => `自 ${time} 起离线，正在自动重连`,
  connRefused: (detail) => `实时连接被拒绝：${detail}`,
  connLostAt: (time) => `${time} 断开`,

  statusName: (status) => STATUS_ZH[status],
  tierName: (tier) => ({ grid: '网格', street: '街镇分中心', district: '区中心' })[tier],
  channelName: (channel) => CHANNEL_ZH[channel],
  legendLabel: '图例',
  legendOverdue: '超期',
  legendEscalated: '已升级（粗边框）',
  legendSize: '圆点越大越严重',
  casesLabel: '实时案件',
  caseNumber: '案件编号',
  category: '类别',
  status: '状态',
  severity: '严重程度',
  assignee: '处置人',
  unassigned: '未指派',
  queueOf: (queue) => (queue === 'street' ? '街镇分中心待派' : '区中心待派'),
  deadlineName: (which) => (which === 'accept' ? '受理时限' : '办结时限'),
  timeLeft: (duration) => `剩余 ${duration}`,
  overdueBy: (duration) => `已超时 ${duration}`,
  noDeadline: '无时限',
  awaitingVerification: '已反馈，待核查',
  markedOverdue: '已标记超期',
  escalatedTo: (tier) => `已升级至${tier}`,
  duration: (ms) => durationZh(ms, false),
  dateTime: (ms) => zhF.dateTime.format(ms),
  time: (ms) => zhF.time.format(ms),
  clockTime: (ms) => zhF.clock.format(ms),
  clockDate: (ms) => zhF.date.format(ms),
  count: (n) => zhF.number.format(n),
  percent: (fraction) => zhF.percent.format(fraction),
  noValue: '—',

  casePanelLabel: '案件详情',
  caseLoading: '正在加载案件…',
  caseNotFound: (caseNumber) => `找不到案件 ${caseNumber}（或不在您的权限范围内）。`,
  caseClosedNote: (status) => `该案件${status}，已从地图上移除。`,
  reportedAt: '上报时间',
  channel: '来源',
  tier: '所在层级',
  description: '问题描述',
  reportsCount: (n) => `共 ${zhF.number.format(n)} 次上报`,
  duplicateOf: (caseNumber) => `疑似与 ${caseNumber} 重复`,
  nearBoundary: (gridCode, meters) => `靠近网格 ${gridCode}（${zhF.number.format(meters)} 米），可能属于该网格`,
  deadlines: '时限',
  acceptedAt: '受理时间',
  extensionPending: '有延期申请待审批',
  formalNotice: (due) => `限期受理，期限 ${due}，待答复上报人`,
  timelineHeading: '办理过程',
  timelineLoading: '正在加载办理过程…',
  timelineFailed: (detail) => `办理过程加载失败：${detail}`,
  eventName: (type) => EVENT_ZH[type],
  systemActor: '系统',
  dispatchedTo: (name) => `派给 ${name}`,
  eventNote: (label, text) => `${label}：${text}`,
  commandsHeading: '可执行的操作',
  noCommands: '您的角色在此案件当前状态下没有可执行的操作。',
  commandName: (type) => COMMAND_ZH[type],
  commandSubmit: '确定',
  commandSending: '正在提交…',
  commandDone: (name) => `已完成：${name}`,
  commandRefused: (detail) => `操作被拒绝：${detail}`,
  fieldLabel: (field) => FIELD_ZH[field],
  yes: '是',
  no: '否',
  approve: '批准',
  deny: '不批准',
  passed: '通过（结案）',
  notPassed: '不通过（返工）',
  fixed: '已解决',
  notFixed: '未解决（重新办理）',
  escalateReason: (reason) => ESCALATE_ZH[reason] ?? reason,
  choosePerson: '选择人员',
  peopleOfGrid: '本网格人员',

  kpiOpen: '在办案件',
  kpiNewLastHour: '近 1 小时新增',
  kpiOverdue: '超期',
  kpiEscalated: '已升级',
  kpiClosedToday: '今日结案',
  kpiOnTimeRate: '今日按期结案率',
  kpiOpenHelp: '辖区内当前未结的案件：待派遣、已派遣、处置中、待核查和疑似重复。',
  kpiNewLastHourHelp: (since) => `过去 60 分钟内上报的案件（含其间已结的）。${since ? `本屏自 ${since} 起统计，此前已结的案件未计入。` : ''}`,
  kpiOverdueHelp: '未结案件中，正在计时的受理或办结时限已过，或已被系统标记超期的案件。',
  kpiEscalatedHelp: '未结案件中，至少升级过一次（网格 → 街镇分中心 → 区中心）的案件。',
  kpiClosedTodayHelp: (since) => `北京时间今天 0:00 以来核查通过结案的案件。${since ? `本屏自 ${since} 起统计。` : ''}`,
  kpiOnTimeRateHelp: '今日结案的案件中，在办结时限内（或无时限）结案的比例。',

  wallTitle: '海淀区城市运行实时态势',
  wallArea: (name) => name,
  tickerHeading: '最新动态',
  tickerEmpty: '暂无新案件或升级案件。',
  tickerKind: (kind) => (kind === 'new' ? '新案件' : '升级'),
  fullScreen: '全屏',
  focusing: (caseNumber) => `正在查看升级案件 ${caseNumber}`,
  workspaceLabel: '工作台',
  workspaceName: (w) => ({ supervisor: '指挥调度', analyst: '统计分析', staffing: '人员配置' })[w],
  breadcrumbsLabel: '所在区域',
  districtFallback: '全区',
  areaLevelName: (level) => ({ street: '街道/乡镇', community: '社区/村', grid: '网格' })[level],
  childAreasHeading: (level) => ({ street: '各街道/乡镇', community: '各社区/村', grid: '各网格' })[level],
  fillLabel: '地图着色',
  fillName: (m) => ({ open: '在办', overdue: '超期', dueSoon: '1 小时内到期', escalated: '已升级', none: '不着色' })[m],
  allCategories: '全部类别',
  addCategory: '加一个类别…',
  removeFilter: '去掉这个条件',
  queueHeading: '待办队列',
  queueOverdue: (n) => `${n} 件超期`,
  queueEmpty: '没有符合条件的在办案件。',
  queueMore: (n) => `另有 ${n} 件，缩小范围可见。`,
  queueNeedsLive: '登录后显示实时队列。',
  gridFiguresHeading: '网格指标',
  received30Days: '近 30 天受理',
  onTime30Days: '近 30 天按期结案率',
  repeatReports: '重复上报',
  figuresUnavailable: '暂时无法读取统计数据。',
  figuresLoading: '正在统计…',
  windowLabel: '时间范围',
  lastDays: (days) => (days === 365 ? '近一年' : `近 ${days} 天`),
  windowFrom: '起',
  windowTo: '止',
  windowSummary: (from, to) => `统计 ${from} 至 ${to} 上报的案件`,
  exportLabel: '导出筛选结果',
  hotspotsHeading: '热点网格',
  hotspotMeasure: (m) => ({ received: '案件最多', repeatReports: '重复最多', overdueNow: '超期最多' })[m],
  noHotspots: '这段时间没有案件。',
  figureColumn: (c) => ({ received: '受理', open: '在办', overdueNow: '超期', closed: '结案', onTimeRate: '按期率', repeatReports: '重复' })[c],
  departmentsHeading: '各专业部门',
  department: '部门',
  allDepartments: '全部部门',
  gridsLabel: '网格',
  coverageGaps: '无人负责的网格',
  gridsWithNobody: '一个部门都没有人的网格',
  manyGridPeople: '一人多格',
  noGaps: '每个网格都有人负责。',
  andMore: (n) => `还有 ${n} 个`,
  staffLoadHeading: '人员负荷',
  personLabel: '人员',
  liveFillTitle: (measure, level) => `${level}：${measure}`,
  staffingFillTitle: (grids, one) => (grids ? (one ? '网格：本部门负责人数（红：无人）' : '网格：有人负责的部门数（红：无人）') : '社区：红色含无人负责的网格'),
  hexLegendTitle: (cell) => `每格案件数（六边形宽 ${cell}）`,
};

function durationZh(ms: number, seconds: boolean): string {
  if (seconds && Math.abs(ms) < 60_000) return `${Math.max(1, Math.ceil(Math.abs(ms) / 1000))} 秒`;
  const { days, hours, minutes } = durationParts(ms);
  if (days > 0) return `${days} 天${hours > 0 ? ` ${hours} 小时` : ''}`;
  if (hours > 0) return `${hours} 小时${minutes > 0 ? ` ${minutes} 分` : ''}`;
  return `${minutes} 分钟`;
}

function durationEn(ms: number, seconds: boolean): string {
  if (seconds && Math.abs(ms) < 60_000) return `${Math.max(1, Math.ceil(Math.abs(ms) / 1000))} s`;
  const { days, hours, minutes } = durationParts(ms);
  if (days > 0) return `${days} d${hours > 0 ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h${minutes > 0 ? ` ${minutes} min` : ''}`;
  return `${minutes} min`;
}

export const en: Strings = {
  locale: 'en-GB',
  appTitle: 'Haidian Grid Command',
  appSubtitle: 'Urban grid management',
  districtSummary: (streets, communities, grids) => `${streets} streets/towns · ${communities} communities · ${enF.number.format(grids)} grids`,
  loadingGeography: 'Loading the district geography…',
  serverUnreachable: 'The server cannot be reached',
  serverUnreachableHint: 'Check that Grid Command is running (npm start), then try again.',
  loadFailed: 'The geography could not be loaded',
  retry: 'Retry',
  webglUnavailable: 'This browser cannot create a WebGL canvas, so the map cannot be shown.',
  mapError: (detail) => `The map failed to draw: ${detail}`,
  mapLabel: 'Map of the Haidian grids',
  panelLabel: 'Details',
  hint: 'Click anywhere on the map',
  hintDetail: 'to see the street, community and grid of that place, and the people who serve the grid.',
  routing: 'Finding the grid…',
  street: 'Street',
  town: 'Town',
  community: 'Community',
  grid: 'Grid',
  area: (areaSquareMeters) => `Area ${enF.squareKilometers.format(areaSquareMeters / 1e6)} km²`,
  onBoundary: 'This point lies on a grid boundary; by rule it belongs to this grid.',
  peopleHeading: 'People serving this grid',
  peopleLoading: 'Loading the people…',
  onDuty: 'On duty',
  offDuty: 'Off duty',
  servesGrids: (gridCount) => `serves ${enF.number.format(gridCount)} grid${gridCount === 1 ? '' : 's'}`,
  phone: 'Phone',
  unknownDepartment: (code) => `Department ${code}`,
  outsideNearest: (gridName, distance) => `Outside every grid — nearest grid: ${gridName}, ${distance}`,
  outsideNoNearest: 'Outside every grid.',
  openNearest: 'Open the nearest grid',
  gridNotFound: (code) => `There is no grid ${code}.`,
  notAGridCode: (code) => `“${code}” is not a grid code (15 digits).`,
  requestFailed: (detail) => `The request failed: ${detail}`,
  clearSelection: 'Close',
  meters: (meters) => `${enF.number.format(meters)} m`,

  switchLanguage: '中文',
  switchLanguageLabel: '切换到中文',
  wallMode: 'Wall display',
  commandMode: 'Command view',

  signIn: 'Sign in',
  signOut: 'Sign out',
  signInTitle: 'Sign in to Grid Command',
  signInIntro: 'Sign in to see and act on the live cases of your area. The map and the grids need no sign-in.',
  username: 'Username',
  password: 'Password',
  signInSubmit: 'Sign in',
  signingIn: 'Signing in…',
  cancel: 'Cancel',
  wrongCredentials: 'Wrong username or password.',
  accountDisabled: 'This account is disabled; ask an administrator.',
  tooManyAttempts: (waitSeconds) => `Too many failed attempts. Try again in ${durationEn(waitSeconds * 1000, true)}.`,
  signInUnreachable: 'The server cannot be reached. Check that it is running and try again.',
  signInFailed: (detail) => `Sign-in failed: ${detail}`,
  sessionEnded: 'Your session has ended. Please sign in again.',
  checkingSession: 'Checking your session…',
  accountLabel: 'Signed in',
  roleName: (role) => ROLE_EN[role],
  scopeDistrict: 'Whole district',
  scopeStreet: (name) => name,
  scopeGrids: (firstGrid, count) => (count > 1 ? `${firstGrid} and ${enF.number.format(count - 1)} more grid${count === 2 ? '' : 's'}` : firstGrid),
  scopeDepartment: (name) => name,
  liveNeedsSignIn: 'Sign in to see live cases',
  liveNotForRole: 'Department staff work from their task list; the live map is not for this role.',

  connectionLabel: 'Live connection',
  connConnecting: 'Connecting…',
  connLive: 'Live',
  connReconnecting: (attempt) => (attempt > 0 ? `Reconnecting (attempt ${attempt})…` : 'Reconnecting…'),
  connCatchingUp: 'Catching up on missed cases…',
  connOfflineSince: (time) => `Offline since ${time}; reconnecting by itself`,
  connRefused: (detail) => `Live connection refused: ${detail}`,
  connLostAt: (time) => `lost at ${time}`,

  statusName: (status) => STATUS_EN[status],
  tierName: (tier) => ({ grid: 'Grid', street: 'Street/town sub-centre', district: 'District centre' })[tier],
  channelName: (channel) => CHANNEL_EN[channel],
  legendLabel: 'Legend',
  legendOverdue: 'Overdue',
  legendEscalated: 'Escalated (heavy ring)',
  legendSize: 'Larger dot: more severe',
  casesLabel: 'Live cases',
  caseNumber: 'Case number',
  category: 'Category',
  status: 'Status',
  severity: 'Severity',
  assignee: 'Assignee',
  unassigned: 'Unassigned',
  queueOf: (queue) => (queue === 'street' ? "street/town sub-centre's queue" : "district centre's queue"),
  deadlineName: (which) => (which === 'accept' ? 'Accept by' : 'Resolve by'),
  timeLeft: (duration) => `${duration} left`,
  overdueBy: (duration) => `${duration} overdue`,
  noDeadline: 'No deadline',
  awaitingVerification: 'Result reported, awaiting verification',
  markedOverdue: 'Marked overdue',
  escalatedTo: (tier) => `Escalated: ${tier}`,
  duration: (ms) => durationEn(ms, false),
  dateTime: (ms) => enF.dateTime.format(ms),
  time: (ms) => enF.time.format(ms),
  clockTime: (ms) => enF.clock.format(ms),
  clockDate: (ms) => enF.date.format(ms),
  count: (n) => enF.number.format(n),
  percent: (fraction) => enF.percent.format(fraction),
  noValue: '—',

  casePanelLabel: 'Case details',
  caseLoading: 'Loading the case…',
  caseNotFound: (caseNumber) => `Case ${caseNumber} was not found (or is outside your area).`,
  caseClosedNote: (status) => `This case is ${status.toLowerCase()} and has left the map.`,
  reportedAt: 'Reported',
  channel: 'Channel',
  tier: 'Held by',
  description: 'Description',
  reportsCount: (n) => `Reported ${enF.number.format(n)} times`,
  duplicateOf: (caseNumber) => `Likely duplicate of ${caseNumber}`,
  nearBoundary: (gridCode, meters) => `Within ${enF.number.format(meters)} m of grid ${gridCode}: it may belong there`,
  deadlines: 'Deadlines',
  acceptedAt: 'Accepted',
  extensionPending: 'An extension request awaits a dispatcher',
  formalNotice: (due) => `Formal deadline ${due}: the reporter awaits an answer`,
  timelineHeading: 'Timeline',
  timelineLoading: 'Loading the timeline…',
  timelineFailed: (detail) => `The timeline could not be loaded: ${detail}`,
  eventName: (type) => EVENT_EN[type],
  systemActor: 'System',
  dispatchedTo: (name) => `to ${name}`,
  eventNote: (label, text) => `${label}: ${text}`,
  commandsHeading: 'Actions',
  noCommands: 'Your role has no action on this case in its present state.',
  commandName: (type) => COMMAND_EN[type],
  commandSubmit: 'Confirm',
  commandSending: 'Sending…',
  commandDone: (name) => `Done: ${name}`,
  commandRefused: (detail) => `Refused: ${detail}`,
  fieldLabel: (field) => FIELD_EN[field],
  yes: 'Yes',
  no: 'No',
  approve: 'Approve',
  deny: 'Deny',
  passed: 'Passed (close)',
  notPassed: 'Not passed (rework)',
  fixed: 'Fixed',
  notFixed: 'Not fixed (reopen)',
  escalateReason: (reason) => ESCALATE_EN[reason] ?? reason,
  choosePerson: 'Choose a person',
  peopleOfGrid: "This grid's people",

  kpiOpen: 'Open now',
  kpiNewLastHour: 'New, last hour',
  kpiOverdue: 'Overdue',
  kpiEscalated: 'Escalated',
  kpiClosedToday: 'Closed today',
  kpiOnTimeRate: 'On time today',
  kpiOpenHelp: 'Cases of the area not yet closed: queued, dispatched, in hand, awaiting verification, and likely duplicates.',
  kpiNewLastHourHelp: (since) => `Cases reported in the last 60 minutes (including any closed since).${since ? ` Counted by this screen since ${since}; cases closed before then are missing.` : ''}`,
  kpiOverdueHelp: 'Open cases whose running deadline (to accept or to resolve) has passed, or which the scheduler marked overdue.',
  kpiEscalatedHelp: 'Open cases that went up a tier at least once (grid → street/town sub-centre → district centre).',
  kpiClosedTodayHelp: (since) => `Cases verified and closed since 00:00 Beijing time.${since ? ` Counted by this screen since ${since}.` : ''}`,
  kpiOnTimeRateHelp: 'Of the cases closed today, the share closed by their resolve deadline (or that had none).',

  wallTitle: 'Haidian city operations, live',
  wallArea: (name) => name,
  tickerHeading: 'Latest',
  tickerEmpty: 'No new or escalated cases yet.',
  tickerKind: (kind) => (kind === 'new' ? 'New' : 'Escalated'),
  fullScreen: 'Full screen',
  focusing: (caseNumber) => `Showing escalated case ${caseNumber}`,
  workspaceLabel: 'Workspace',
  workspaceName: (w) => ({ supervisor: 'Supervisor', analyst: 'Analyst', staffing: 'Staffing' })[w],
  breadcrumbsLabel: 'Where you are',
  districtFallback: 'District',
  areaLevelName: (level) => ({ street: 'Street/town', community: 'Community', grid: 'Grid' })[level],
  childAreasHeading: (level) => ({ street: 'Streets and towns', community: 'Communities', grid: 'Grids' })[level],
  fillLabel: 'Colour by',
  fillName: (m) => ({ open: 'Open', overdue: 'Overdue', dueSoon: 'Due within 1 h', escalated: 'Escalated', none: 'Nothing' })[m],
  allCategories: 'All categories',
  addCategory: 'Add a category…',
  removeFilter: 'Remove this filter',
  queueHeading: 'Queue',
  queueOverdue: (n) => `${n} overdue`,
  queueEmpty: 'No open case matches.',
  queueMore: (n) => `${n} more: narrow the filter to see them.`,
  queueNeedsLive: 'Sign in to see the live queue.',
  gridFiguresHeading: 'Grid figures',
  received30Days: 'Received, last 30 days',
  onTime30Days: 'Closed on time, last 30 days',
  repeatReports: 'Repeat reports',
  figuresUnavailable: 'The figures cannot be read just now.',
  figuresLoading: 'Counting…',
  windowLabel: 'Time window',
  lastDays: (days) => (days === 365 ? 'Last year' : `Last ${days} days`),
  windowFrom: 'From',
  windowTo: 'To',
  windowSummary: (from, to) => `Cases reported from ${from} to ${to}`,
  exportLabel: 'Export the filtered cases',
  hotspotsHeading: 'Hotspots',
  hotspotMeasure: (m) => ({ received: 'Most cases', repeatReports: 'Most repeats', overdueNow: 'Most overdue' })[m],
  noHotspots: 'No cases in this window.',
  figureColumn: (c) => ({ received: 'Received', open: 'Open', overdueNow: 'Overdue', closed: 'Closed', onTimeRate: 'On time', repeatReports: 'Repeats' })[c],
  departmentsHeading: 'Departments',
  department: 'Department',
  allDepartments: 'All departments',
  gridsLabel: 'Grids',
  coverageGaps: 'Grids with nobody',
  gridsWithNobody: 'Grids with no department at all',
  manyGridPeople: 'One person, many grids',
  noGaps: 'Every grid has somebody.',
  andMore: (n) => `${n} more`,
  staffLoadHeading: 'Load per person',
  personLabel: 'Person',
  liveFillTitle: (measure, level) => `${level}: ${measure}`,
  staffingFillTitle: (grids, one) => (grids ? (one ? 'Grids: people of the department (red: nobody)' : 'Grids: departments with somebody (red: none)') : 'Communities: red holds a grid with nobody'),
  hexLegendTitle: (cell) => `Cases per hexagon (${cell} across)`,
};

export const STRINGS: Readonly<Record<Lang, Strings>> = { zh: zhCN, en };

/** The default language's strings (Chinese): for tests, and for code that runs outside React. */
export const strings: Strings = zhCN;
