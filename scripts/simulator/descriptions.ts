/**
 * Short, realistic descriptions in Chinese, by category (matched by name, so any catalogue gets at
 * least a generic line), by channel (sensors and cameras write machine text), and by place. Also
 * the reporters that residents and hotline operators leave. Pure.
 */
import type { Category } from '../../core/catalogue/catalogue.ts';
import type { Channel, Reporter } from '../../core/cases/report.ts';
import type { Rng } from './random.ts';

const TEMPLATES: readonly (readonly [RegExp, readonly string[]])[] = [
  [/暴露垃圾/, ['{at}有暴露垃圾，无人清理', '{at}路边堆放生活垃圾，气味很大', '{at}垃圾散落一地，已经好几天了', '{at}绿化带里有成堆垃圾']],
  [/小广告/, ['{at}电线杆上贴满小广告', '{at}墙面被喷涂办证小广告', '{at}有人沿街散发小广告', '{at}单元门上贴了很多小广告']],
  [/户外广告/, ['{at}新挂了一块大型广告牌，未见审批', '{at}楼顶广告牌未经批准']],
  [/占道经营|店外经营/, ['{at}有人占道经营', '{at}商户把货架摆到人行道上', '{at}饭馆在门外摆桌经营，行人无法通过', '{at}水果摊占用盲道']],
  [/游商/, ['{at}有游商摆摊', '{at}三轮车流动售卖，堵塞通道', '{at}有人无照摆摊卖菜']],
  [/无证照食品/, ['{at}有人无证售卖熟食', '{at}流动早餐车无证经营']],
  [/机动车乱停放|乱停车/, ['{at}机动车乱停放，堵塞道路', '{at}车辆停在人行道上', '{at}有车堵住消防通道口', '{at}路口双排停车，通行困难']],
  [/共享单车/, ['{at}共享单车大量堆积', '{at}共享单车倒了一地，挡住盲道']],
  [/黑车/, ['{at}有黑车拉客', '{at}出站口有人招揽乘客拼车']],
  [/流浪乞讨/, ['{at}有人乞讨，拉扯行人', '{at}有流浪人员长期滞留']],
  [/施工扰民/, ['{at}工地夜间施工，噪音很大', '{at}凌晨还在施工，影响休息', '{at}施工机械轰鸣，严重扰民']],
  [/扬尘/, ['{at}工地扬尘严重，未覆盖', '{at}渣土未苫盖，风一吹满天灰', '{at}工地出入口车辆带泥上路']],
  [/建筑垃圾|渣土/, ['{at}堆放大量建筑垃圾', '{at}有人倾倒渣土', '{at}装修垃圾堆在楼道口']],
  [/占道施工/, ['{at}占道施工，未设警示标志', '{at}施工围挡占用半幅道路']],
  [/私搭乱建/, ['{at}有人私搭乱建', '{at}楼顶新搭建了彩钢房', '{at}一层住户扩建小院']],
  [/道路保洁/, ['{at}路面脏乱，无人清扫', '{at}路面有大片油污']],
  [/绿地保洁|绿地养护/, ['{at}绿地里垃圾很多', '{at}绿地杂草丛生，无人养护']],
  [/绿地被占用/, ['{at}绿地被占用停车', '{at}有人在绿地里种菜']],
  [/路面积水|积水内涝/, ['{at}路面积水很深，车辆无法通行', '{at}下穿通道积水严重', '{at}雨后积水，行人无法通过']],
  [/废弃家具/, ['{at}有人丢弃旧沙发、床垫', '{at}楼下堆着废旧家具']],
  [/井盖/, ['{at}井盖缺失，很危险', '{at}井盖破损下沉', '{at}井盖松动，车过有响声']],
  [/消火栓/, ['{at}消火栓损坏漏水', '{at}消火栓被撞歪']],
  [/路灯/, ['{at}路灯不亮', '{at}一排路灯晚上都不亮', '{at}路灯杆倾斜']],
  [/公交站亭/, ['{at}公交站亭玻璃破碎', '{at}公交站亭顶棚损坏']],
  [/交通标志|路名牌/, ['{at}交通标志牌被撞倒', '{at}路名牌缺失', '{at}标志牌被树枝遮挡']],
  [/护栏/, ['{at}交通护栏被撞坏', '{at}护栏倒伏在路中间']],
  [/信号灯/, ['{at}交通信号灯不亮', '{at}红绿灯故障，一直闪黄灯']],
  [/公共厕所/, ['{at}公共厕所很脏，没人打扫', '{at}公厕冲水设备坏了']],
  [/垃圾收集站/, ['{at}垃圾站脏乱，污水外流', '{at}垃圾收集站门坏了']],
  [/垃圾箱/, ['{at}垃圾桶满了没人清', '{at}垃圾箱破损', '{at}垃圾满溢到地上']],
  [/牌匾/, ['{at}商铺牌匾松动，有坠落危险', '{at}招牌被风吹得摇晃']],
  [/古树/, ['{at}古树树皮被剥', '{at}古树周围被堆放杂物']],
  [/倒伏|断枝|行道树/, ['{at}大树被风刮倒，压住路面', '{at}树枝断裂，悬在人行道上方', '{at}行道树倾斜，随时可能倒下', '{at}倒伏树木挡住车道']],
  [/宣传栏/, ['{at}宣传栏玻璃破碎', '{at}宣传栏倾倒']],
  [/地下室渗漏/, ['{at}地下室渗水', '{at}地下室墙面漏水发霉']],
  [/危险房屋/, ['{at}楼体外墙出现裂缝', '{at}老房子墙体开裂，有倒塌危险']],
  [/液化气/, ['{at}液化气站钢瓶露天堆放', '{at}液化气供应点无灭火器']],
  [/监控/, ['{at}监控探头损坏', '{at}摄像头被遮挡']],
  [/道路塌陷/, ['{at}路面塌陷出现大坑', '{at}路面下沉开裂']],
  [/供水管道/, ['{at}自来水管爆裂，水漫路面', '{at}地下冒水']],
  [/燃气泄漏/, ['{at}闻到很重的燃气味', '{at}燃气管道疑似泄漏']],
  [/火灾/, ['{at}有浓烟冒出，疑似着火', '{at}垃圾堆起火']],
  [/夜间噪声/, ['{at}夜里有人大声喧哗', '{at}烧烤店深夜噪音扰民', '{at}广场舞音响太大']],
  [/流浪犬/, ['{at}有流浪狗追咬行人', '{at}几只流浪狗在游荡']],
  [/遛狗/, ['{at}有人遛狗不拴绳', '{at}大型犬未牵绳，孩子很害怕']],
  [/邻里纠纷/, ['{place}邻居因漏水发生纠纷', '{place}邻里因停车位争吵', '{place}楼上楼下因噪音起争执']],
  [/家庭纠纷/, ['{place}有家庭纠纷，需要调解', '{place}夫妻吵架，邻居报告']],
  [/拖欠.*工资/, ['{at}工人反映被拖欠工资', '{place}多名务工人员讨薪']],
  [/群体性/, ['{place}业主聚集反映物业问题', '{place}多户居民对拆迁补偿有意见']],
  [/可疑/, ['{at}有可疑人员徘徊', '{at}发现可疑包裹']],
  [/精神障碍/, ['{place}精神障碍患者情绪不稳定', '{place}有患者走失风险']],
  [/非法行医/, ['{at}有诊所疑似无证行医', '{place}有人在家中私自输液']],
  [/消防通道/, ['{at}消防通道被车辆堵塞', '{at}消防通道堆放杂物']],
  [/入户充电/, ['{place}有人把电动车推进楼道充电', '{place}居民从楼上拉飞线给电动车充电']],
  [/餐饮场所燃气/, ['{at}餐馆燃气管线老化', '{at}饭店后厨液化气罐摆放不规范']],
  [/施工工地安全/, ['{at}工地脚手架不稳', '{at}工地塔吊下无人看管']],
  [/群租/, ['{place}一套房住了十几个人', '{place}疑似群租房，进出人员很多']],
  [/出租房屋/, ['{place}出租房未登记', '{place}有新租户入住，未见登记']],
  [/流动人口/, ['{place}新来的流动人口未登记']],
  [/地下空间/, ['{place}地下室有人居住', '{place}地下空间违规住人']],
  [/独居老人/, ['{place}独居老人几天没出门', '{place}独居老人需要送餐帮助']],
  [/电梯/, ['{place}电梯又坏了，老人上不了楼', '{place}电梯困人']],
  [/停水/, ['{place}整栋楼停水了', '{place}小区停水，没有提前通知', '{place}已经停水半天，何时恢复']],
  [/供暖/, ['{place}暖气不热，室温只有十几度', '{place}暖气停了', '{place}整个单元暖气不热']],
  [/就业/, ['{place}居民咨询就业援助']],
  [/困难家庭/, ['{place}困难家庭申请救助']],
  [/消费投诉/, ['{at}商家售卖过期食品', '{at}店铺缺斤短两', '{at}预付卡商家跑路']],
  [/矫正/, ['{place}社区矫正对象未按时报到']],
  [/刑满释放/, ['{place}刑满释放人员需要安置帮教']],
  [/戒毒/, ['{place}社区戒毒人员未按期报到']],
  [/部件信息|楼房信息|单位名录/, ['{at}信息与实际不符，需要更新', '{place}新增一处设施，台账中没有']],
  [/统计调查/, ['{place}统计调查需要入户协助']],
  [/志愿/, ['{place}居民报名参加志愿服务']],
  [/意见建议/, ['{place}居民建议增设休息座椅', '{place}居民建议增加停车位', '{place}居民建议增设路灯']],
  [/社会组织/, ['{place}居民自发组织的合唱团申请备案']],
];

const LOCATORS = ['路口', '东门', '西门', '南门', '北门', '附近', '门口', '东侧人行道', '公交站旁', '停车场', '对面', '北侧辅路', '西侧路边', '南侧胡同'];

/** "福海路社区" + a locator, e.g. "福海路社区东门". */
export function placeAt(rng: Rng, place: string): string {
  return `${place}${rng.pick(LOCATORS)}`;
}

function fill(template: string, rng: Rng, place: string): string {
  return template.replace('{at}', placeAt(rng, place)).replace('{place}', place);
}

/** A description as this channel would write it about this category at this place. */
export function describe(rng: Rng, category: Category, channel: Channel, place: string): string {
  if (channel === 'sensor') {
    const id = `${rng.pick(['WL', 'MH', 'NS', 'GS', 'DL'])}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
    return rng.pick([`[传感器 ${id}] 监测到${category.zh}，已超过阈值`, `[物联网 ${id}] ${category.zh}告警，位置：${place}`]);
  }
  if (channel === 'video') {
    const cam = `HD-CAM-${String(rng.int(1, 9999)).padStart(4, '0')}`;
    return rng.pick([`[视频智能识别] 摄像头 ${cam} 识别到：${category.zh}`, `[视频巡查] ${place}：${category.zh}，置信度 ${rng.int(80, 99)}%`]);
  }
  const match = TEMPLATES.find(([pattern]) => pattern.test(category.zh));
  const text = match ? fill(rng.pick(match[1]), rng, place) : fill(rng.pick(['{at}发现{zh}，请尽快处理', '{at}{zh}，请相关部门处理']).replace('{zh}', category.zh), rng, place);
  if (channel === 'hotline') return rng.pick([`市民来电反映：${text}`, `12345转办：${text}`, `来电人称${text}`]);
  if (channel === 'referral') return `兄弟单位移交：${text}`;
  if (channel === 'resident-app' && rng.chance(0.3)) return `${text}${rng.pick(['，希望尽快处理', '！', '，已经反映过一次了', '，谢谢'])}`;
  return text;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '强', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '建国', '志强', '海燕'];

function mobile(rng: Rng): string {
  return `1${rng.pick(['3', '5', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
}

/** Who reported, as each channel records it: callers and app users, sometimes a patrol's id. */
export function reporterFor(rng: Rng, channel: Channel): Reporter | undefined {
  switch (channel) {
    case 'hotline':
      if (!rng.chance(0.85)) return undefined;
      return { name: `${rng.pick(SURNAMES)}${rng.pick(['先生', '女士'])}`, phone: mobile(rng), id: `12345-${rng.int(100_000_000, 999_999_999)}` };
    case 'resident-app': {
      const id = `app-${rng.int(0, 0xffffff).toString(16).padStart(6, '0')}`;
      return { id, ...(rng.chance(0.6) ? { phone: mobile(rng) } : {}), ...(rng.chance(0.3) ? { name: `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}` } : {}) };
    }
    case 'patrol':
      return rng.chance(0.7) ? { id: `patrol-${String(rng.int(1, 2999)).padStart(4, '0')}`, name: `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}` } : undefined;
    case 'open311':
      return rng.chance(0.5) ? { id: `o311-${rng.int(1, 99_999)}` } : undefined;
    default:
      return undefined;
  }
}
