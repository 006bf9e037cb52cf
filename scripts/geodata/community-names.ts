import { pickOne, type Random } from './seeded-random.ts';

// Fictional but plausible: Beijing community names are mostly "<place><direction/estate word>社区"
// and rural ones "<place>村". The stems are ordinary words, not real Haidian communities, so that a
// generated name is never mistaken for a real one in the wrong place.
const STEMS = [
  '丽景', '和平', '春晖', '翠湖', '文苑', '知行', '金源', '嘉园', '清源', '明德', '育才', '怡和', '康乐', '安华', '静园',
  '书香', '锦绣', '阳光', '常青', '新华', '惠园', '科苑', '松林', '枫林', '桃园', '柳荫', '杏林', '荷清', '泉宗', '玉泉',
  '望京', '长春', '永泰', '德胜', '博雅', '海棠', '兰亭', '竹溪', '梅园', '芳草', '润泽', '瑞祥', '华清', '广源', '宝盛',
  '福海', '天秀', '云溪', '金沟', '银杏', '碧水', '青塔', '朝晖', '晨光', '星河', '汇贤', '紫薇', '银河', '丰益', '永兴',
];
const URBAN_SUFFIXES = ['东里', '西里', '南里', '北里', '家园', '花园', '小区', '新村', '苑', '园', '大院', '路'];
const RURAL_SUFFIXES = ['庄', '营', '屯', '店', '坨', '口', '河', '沟'];

export function createCommunityNamer(random: Random): (rural: boolean) => string {
  const used = new Set<string>();
  return (rural) => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const name = rural
        ? `${pickOne(STEMS, random)}${pickOne(RURAL_SUFFIXES, random)}村`
        : `${pickOne(STEMS, random)}${pickOne(URBAN_SUFFIXES, random)}社区`;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
    throw new Error('community names exhausted');
  };
}
