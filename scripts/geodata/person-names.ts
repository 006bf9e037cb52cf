import { pickOne, type Random } from './seeded-random.ts';

// The most common Chinese surnames, roughly in order of frequency; earlier ones are drawn more often.
const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
  '石', '廖', '贾', '夏', '韦', '付', '方', '白', '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯',
];
const GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚',
  '桂', '英', '华', '建', '国', '志', '红', '玉', '兰', '文', '辉', '鹏', '宇', '浩', '晨', '欣', '悦', '婷', '雪', '琳',
  '斌', '波', '峰', '海', '亮', '林', '萍', '倩', '蕾', '薇', '颖', '佳', '俊', '凯', '博', '瑞', '睿', '泽', '晓', '嘉',
];

export function createPersonNamer(random: Random): () => string {
  return () => {
    // A skewed draw: squaring the uniform favours the common surnames at the front of the list.
    const surname = SURNAMES[Math.floor(random() * random() * SURNAMES.length)] ?? '王';
    const given = random() < 0.35 ? pickOne(GIVEN, random) : pickOne(GIVEN, random) + pickOne(GIVEN, random);
    return surname + given;
  };
}

/** A fictional Beijing landline (010 + 8 digits starting with 8), unique within one build. */
export function createPhoneNumberer(random: Random): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const digits = String(Math.floor(random() * 10_000_000)).padStart(7, '0');
      const phone = `010-8${digits.slice(0, 3)}-${digits.slice(3)}`;
      if (!used.has(phone)) {
        used.add(phone);
        return phone;
      }
    }
  };
}
