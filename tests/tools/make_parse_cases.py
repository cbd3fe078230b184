"""Regenerate tests/cases/parse.tsv from the inputs below (then review the diff by hand!).

    python tests/tools/make_parse_cases.py > tests/cases/parse.tsv

The golden file is the spec: every row was read and checked when it was added.  This script only
saves typing; a change in its output is a change in behaviour that a reviewer must accept.
"""

from __future__ import annotations

import json
import sys

import targetexpr

# (text, options as JSON or "", note)
INPUTS: list[tuple[str, str, str]] = [
    # comparator symbols and their variants (#3)
    ("≥99.9%", "", "#3 symbol"),
    ("≤400 万元", "", "#3 seed, space inside"),
    (">40 个", "", "#3 seed, strict"),
    ("<5%", "", "#3 strict less"),
    ("=300天", "", "#3 equals, l.109"),
    (">=4个", "", "#3 ASCII pair, l.61"),
    ("<=475元/亩", "", "#3 ASCII pair, compound unit, l.65"),
    ("＞９０％", "", "#3 full-width"),
    ("＜10%", "", "#3 full-width"),
    ("＝100%", "", "#3 full-width"),
    ("≧735人次", "", "#3 U+2267, l.2"),
    ("≦30分钟", "", "#3 U+2266"),
    ("≮90%", "", "#3 not less than"),
    ("≯5%", "", "#3 not greater than"),
    ("═100%", "", "#3 U+2550 box drawing, l.5"),
    ("﹦72890元", "", "#3 U+FE66, l.12"),
    ("≈100人", "", "#3 approximately"),
    # comparator words before the number (#3)
    ("不低于95%", "", "#3 word"),
    ("不少于12 种", "", "#3 word, l.20"),
    ("不高于5%", "", "#3 word"),
    ("不超过30万元", "", "#3 word, inclusive"),
    ("大于等于90%", "", "#3 word"),
    ("小于等于10%", "", "#3 word"),
    ("高于85%", "", "#3 word, strict"),
    ("低于3%", "", "#3 word, strict"),
    ("超过100人", "", "#3 Civil Code art. 1259: 超过 excludes"),
    ("不满18个", "", "#3 Civil Code art. 1259: 不满 excludes"),
    ("至少3次", "", "#3 word"),
    ("最多2次", "", "#3 word"),
    ("不得低于90%", "", "#3 word"),
    ("届满3年", "", "#3 Civil Code art. 1259: 届满 includes"),
    ("约100人", "", "#3 approximately"),
    # comparator words after the number, and both (#3)
    ("95%以上", "", "#3 Civil Code art. 1259: 以上 includes, l.178"),
    ("5%以下", "", "#3 Civil Code art. 1259: 以下 includes"),
    ("30分钟以内", "", "#3 Civil Code art. 1259: 以内 includes"),
    ("30日内", "", "#3 内 as 以内; 日 as days"),
    ("5公里以外", "", "#3 Civil Code art. 1259: 以外 excludes"),
    ("100人左右", "", "#3 approximately"),
    ("达到95%以上", "", "#3 prefix and suffix"),
    ("控制在5%以内", "", "#3 prefix and suffix"),
    ("达到90%", "", "#3 达到 alone: at least"),
    ("控制在400万元", "", "#3 控制在 alone: at most"),
    ("≥95%以上", "", "#3 redundant suffix"),
    # numbers (#3)
    ("15 个", "", "#3 bare count, seed"),
    ("856.80万元", "", "#3 trailing zero kept"),
    ("100.00%", "", "#3 trailing zeros kept, l.23"),
    ("3,987,500元", "", "#3 thousands separators"),
    ("≥1,234.5万元", "", "#3 thousands separators and decimals"),
    ("１２３个", "", "#3 full-width digits"),
    ("十五个", "", "#3 Chinese numeral"),
    ("两次", "", "#3 Chinese numeral 两"),
    ("三", "", "#3 Chinese numeral, no unit"),
    ("三千五百人", "", "#3 Chinese numeral"),
    ("百分之九十五", "", "#3 百分之"),
    ("百分之九十五以上", "", "#3 百分之 with suffix"),
    ("不低于百分之九十", "", "#3 百分之 with prefix"),
    ("百分之百", "", "#3 百分之百"),
    ("1.2万人次", "", "#3 magnitude before a unit"),
    ("≥48 亿元", "", "#3 magnitude, seed"),
    ("250万", "", "#3 magnitude without unit (元 implied), l.101"),
    ("5千元", "", "#3 magnitude 千"),
    ("三万人", "", "#3 magnitude inside a Chinese numeral"),
    ("≥-5%", "", "#3 negative growth rate"),
    ("0", "", "#3 zero, l.150"),
    ("0起", "", "#3 zero incidents, l.160"),
    ("43.2", "", "#3 bare number, l.205"),
    ("43.2", '{"default_unit": "万元"}', "#3 default_unit from a table header"),
    ("250万", '{"default_unit": "元"}', "#3 default_unit fills a bare magnitude"),
    # units (#3)
    ("≥2倍", "", "#3 multiple, l.166"),
    ("≥0.565km", "", "#3 km spelled in ASCII, l.118"),
    ("≥80M", "", "#3 M = metres, l.98"),
    ("≥100公里", "", "#3 length"),
    (">=20平方米", "", "#3 area"),
    ("5.5亩", "", "#3 area, l.78"),
    ("3500公斤", "", "#3 mass, l.47"),
    ("≤1 年", "", "#3 duration, seed"),
    ("365 天", "", "#3 duration, seed"),
    ("≤3个工作日", "", "#3 working days"),
    ("≤2小时", "", "#3 hours"),
    ("3个月", "", "#3 months"),
    ("=99百分比", "", "#3 百分比 = %, l.111"),
    ("≥100百分比", "", "#3 百分比 = %, l.217"),
    ("≥95%(百分比)", "", "#3 the system's unit spelling"),
    ("≤5‰", "", "#3 per mille"),
    ("≥2个百分点", "", "#3 percentage points"),
    (">=530元/人*月", "", "#3 compound unit with *, l.141"),
    ("≥530元/人·月", "", "#3 compound unit with ·"),
    (">=101人/次", "", "#3 odd compound unit, l.171"),
    ("<=3000元/平方米", "", "#3 per area"),
    ("8盆", "", "#3 a classifier the unit table does not list"),
    ("≥20座", "", "#3 classifier 座"),
    ("≥90分", "", "#3 points of a score"),
    # ranges (#3)
    ("85%-90%", "", "#3 range"),
    ("85%~90%", "", "#3 range with ~"),
    ("85%～90%", "", "#3 range with full-width ～"),
    ("5-10个", "", "#3 unit once, on the high end"),
    ("60%至80%", "", "#3 range with 至"),
    ("1至3次", "", "#3 range with 至"),
    ("1-2万元", "", "#3 magnitude and unit once"),
    ("[90%,100%]", "", "#3 bracketed, inclusive"),
    ("(90%,100%]", "", "#3 bracketed, low end excluded"),
    ("[90,100)", "", "#3 bracketed, high end excluded"),
    ("在85%-90%之间", "", "#3 在…之间"),
    ("-5%-5%", "", "#3 a range from a negative number"),
    # dates and deadlines (#3)
    ("2022年12月31日前", "", "#3 deadline"),
    ("2022年12月31日之前", "", "#3 deadline"),
    ("2022年6月底前", "", "#3 month end"),
    ("2022年底前", "", "#3 year end"),
    ("年底前", "", "#3 year end, year unknown"),
    ("年底前", '{"year": 2022}', "#3 year end, year given"),
    ("6月底前", "", "#3 month end, year unknown"),
    ("6月底前", '{"year": 2022}', "#3 month end, year given"),
    ("9月前", "", "#3 month deadline, l.188"),
    ("2018年10月底", "", "#3 month end without 前, l.195"),
    ("2021年12月31日前完成", "", "#3 trailing 完成, l.223"),
    ("2020年", "", "#3 a bare year, l.201"),
    ("2022年内", "", "#3 within the year"),
    ("2022.12.31前", "", "#3 dotted date"),
    ("2022-12-31", "", "#3 ISO date"),
    ("2022/12/30", "", "#3 slashed date"),
    ("12/31/2021", '{"date_order": "mdy"}', "#3 US date with an explicit order"),
    ("第三季度末", "", "#3 quarter end"),
    ("2022年第4季度末前", "", "#3 quarter end with year"),
    ("上半年", "", "#3 half-year"),
    ("不晚于2022年9月30日", "", "#3 by-word: inclusive"),
    ("≤2022年6月30日", "", "#3 ≤ a date: inclusive"),
    ("<2022年6月30日", "", "#3 < a date: exclusive"),
    ("2022年12月31日前(不含当日)", "", "#3 explicit exclusive"),
    ("2022年12月31日前", '{"deadline_inclusive": false}', "#3 policy: 前 excludes the day"),
    ("2023.07-2024.01", "", "#3 a period, l.100"),
    ("2022年1月-12月", "", "#3 a period, year once"),
    ("2022年1月1日至2022年12月31日", "", "#3 a period with days"),
    # relative targets (#3)
    ("较上年增长5%", "", "#3 relative, ratio"),
    ("同比下降10%", "", "#3 relative, year on year"),
    ("较上年提高2个百分点", "", "#3 relative, percentage points"),
    ("不低于上年", "", "#3 bound on the baseline"),
    ("不低于上年水平", "", "#3 bound on the baseline"),
    ("与上年持平", "", "#3 level with the baseline"),
    ("不超过预算", "", "#3 budget as baseline, l.224"),
    ("不超预算", "", "#3 budget as baseline, l.96"),
    ("控制在预算以内", "", "#3 budget as baseline"),
    ("较上年增长不低于5%", "", "#3 relative with a comparator"),
    ("比上年增长5%以上", "", "#3 relative with a suffix"),
    ("较上年有所提高", "", "#3 some increase"),
    ("较上年增加100万元", "", "#3 absolute change"),
    ("环比增长3%", "", "#3 period on period"),
    ("增长5%", "", "#3 reference not stated"),
    # qualitative values (#3)
    ("及时", "", "#3 seed"),
    ("持续改善", "", "#3 seed"),
    ("有效提升", "", "#3"),
    ("合格", "", "#3"),
    ("达标", "", "#3"),
    ("是", "", "#3 l.196"),
    ("全年", "", "#3 seed"),
    ("无重大安全事故", "", "#3 a negative word that is a positive target"),
    ("优良", "", "#3 l.99"),
    ("不及时", "", "#3 negation"),
    ("未达标", "", "#3 negation"),
    ("程度较高", "", "#3 l.219"),
    ("有所提升", "", "#3 l.203"),
    ("按计划实施", "", "#3 l.106"),
    ("长远", "", "#3 l.113"),
    ("服务范围扩大", "", "#3 a label the vocabulary does not list"),
    ("达成年度指标", "", "#3 self-evaluation grade"),
    ("部分达成年度指标并具有一定效果", "", "#3 self-evaluation grade"),
    ("不适用", "", "#3 not applicable"),
    # masked digits (#3)
    ("≤****000元", "", "#3 digits masked by the publisher, l.221"),
    # compounds and free text (#3)
    ("≥95%;无投诉", "", "#3 two targets in one cell"),
    ("≥95%,≥90%", "", "#3 two targets in one cell"),
    ("2 个三级 1 个二级,保障网络安全", "", "#3 seed cell: kept verbatim with its numbers"),
    ("保障大楼安全运转,排除 风险隐患", "", "#3 seed: descriptive sentence"),
    ("完成项目主体工程70%", "", "#3 sentence with a number, l.54"),
    ("2.补助标准为:每生 1500 元/学期。", "", "#3 sentence, l.174"),
    ("为水濂村带来观光游客不少于6万人,村集体收入达6万元。", "", "#3 sentence with targets inside, l.36"),
    # repairs (#3): strict parsing rejects these (errors.tsv); repair=True reads them
    ("≥40 ↑", '{"repair": true}', "#3 seed noise: ↑ for 个"),
    ("2022年12月月 31 日前", '{"repair": true}', "#3 seed noise: doubled 月"),
    ("二100百分比", '{"repair": true}', "#3 noise: 二 for =, l.112"),
    ("2条 2条", '{"repair": true}', "#3 seed noise: value repeated in two cells"),
    ("≥1 次 ≥1 次", '{"repair": true}', "#3 seed noise: value repeated in two cells"),
]


def main() -> None:
    out = sys.stdout
    out.write("# Golden parse cases: text ⇥ options ⇥ kind ⇥ canonical ⇥ dict ⇥ note\n")
    out.write("# options: JSON keyword arguments of targetexpr.parse; dict: targetexpr.to_dict as JSON.\n")
    out.write("# Run by tests/test_cases.py::test_parse_case.  Every row was checked by hand.\n")
    for text, options, note in INPUTS:
        kwargs = json.loads(options) if options else {}
        target = targetexpr.parse(text, **kwargs)
        as_json = json.dumps(targetexpr.to_dict(target), ensure_ascii=False, separators=(",", ":"))
        out.write("\t".join([text, options, target.kind, str(target), as_json, note]) + "\n")


if __name__ == "__main__":
    main()
