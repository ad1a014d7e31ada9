"""The demo's indicator library: 100 indicators of the kinds a district collects (generated).

One line per indicator: code | name | unit of measure | direction | shape | base | provider.
Shapes say how the generator draws values: ``amount`` grows with the unit's size and
over time, ``count`` is a whole number that grows with size, ``rate`` is a percentage
near its base (never above 100), ``score`` a 0–100 mark near its base.
Negative direction means lower is better.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    measure: str
    direction: int
    shape: str
    base: float
    provider: str
    frequency: str
    group: str  # "town": townships and the park; "dept": departments


_TOWN_MONTH = """
m-industry-growth|规上工业增加值增速|%|1|rate|7|区统计局
m-investment|固定资产投资完成额|亿元|1|amount|1.2|区发展和改革局
m-investment-in|招商引资到位资金|亿元|1|amount|0.8|区投资促进局
m-new-firms|新增市场主体|户|1|count|60|区市场监督管理局
m-hotline|12345热线按期办结率|%|1|rate|95|区政府办公室
m-petitions|信访事项及时受理率|%|1|rate|97|区信访局
m-hazards|安全隐患整改率|%|1|rate|92|区应急管理局
m-air|空气质量优良天数比例|%|1|rate|85|区生态环境分局
m-demolition|违法建设拆除面积|平方米|1|amount|1500|区城市管理局
m-waste|生活垃圾分类准确率|%|1|rate|88|区城市管理局
m-jobs|城镇新增就业人数|人|1|count|120|区人力资源和社会保障局
m-starts|项目开工个数|个|1|count|2|区发展和改革局
"""

_TOWN_QUARTER = """
gdp|地区生产总值|亿元|1|amount|40|区统计局
fiscal-revenue|一般公共预算收入|亿元|1|amount|3|区财政局
fixed-investment|固定资产投资|亿元|1|amount|12|区发展和改革局
industrial-output|规模以上工业总产值|亿元|1|amount|25|区统计局
safety-incidents|生产安全事故起数|起|-1|count|4|区应急管理局
q-retail|社会消费品零售总额|亿元|1|amount|8|区商务局
q-trade|外贸进出口总额|亿元|1|amount|5|区商务局
q-fdi|实际利用外资|万美元|1|amount|600|区商务局
q-hightech|高新技术企业数|家|1|count|12|区科学技术局
q-large-firms|规上工业企业数|家|1|count|30|区统计局
q-tax|税收收入|亿元|1|amount|2.5|区税务局
q-rural-income|农村居民人均可支配收入|元|1|amount|6500|区统计局
q-urban-income|城镇居民人均可支配收入|元|1|amount|11000|区统计局
q-grain|粮食播种面积|万亩|1|amount|3|区农业农村局
q-farmland|高标准农田建设面积|亩|1|amount|1200|区农业农村局
q-village-income|村级集体经济收入|万元|1|amount|300|区农业农村局
q-living|农村人居环境整治达标率|%|1|rate|86|区农业农村局
q-river|河长制巡河履职率|%|1|rate|93|区水利局
q-water|地表水考核断面达标率|%|1|rate|90|区生态环境分局
q-pm25|PM2.5平均浓度|微克/立方米|-1|amount|35|区生态环境分局
q-fires|森林火情起数|起|-1|count|1|区林业局
q-land|违法占用耕地面积|亩|-1|amount|8|区自然资源局
q-road-deaths|道路交通事故死亡人数|人|-1|count|1|区公安分局
q-crime|刑事案件发案数|起|-1|count|25|区公安分局
q-disputes|矛盾纠纷化解率|%|1|rate|94|区委政法委
q-repeat-petitions|重复信访率|%|-1|rate|6|区信访局
q-grid|网格事件办结率|%|1|rate|95|区委政法委
q-safety-satisfaction|平安建设群众满意度|分|1|score|88|区委政法委
q-elderly|养老服务覆盖率|%|1|rate|80|区民政局
q-schooling|义务教育巩固率|%|1|rate|98|区教育局
q-medical|基本医疗保险参保率|%|1|rate|96|区医疗保障局
q-pension|城乡居民养老保险参保率|%|1|rate|93|区人力资源和社会保障局
q-subsidy|低保动态管理准确率|%|1|rate|95|区民政局
q-veterans|退役军人服务站规范化率|%|1|rate|85|区退役军人事务局
q-civility|新时代文明实践活动场次|场|1|count|40|区委宣传部
q-online|政务服务事项网办率|%|1|rate|82|区行政审批服务局
q-service|政务服务好差评满意率|%|1|rate|97|区行政审批服务局
q-party|基层党组织规范化建设达标率|%|1|rate|90|区委组织部
q-members|发展党员计划完成率|%|1|rate|92|区委组织部
q-ideology|意识形态工作检查得分|分|1|score|90|区委宣传部
q-meetings|文件会议精简率|%|1|rate|30|区委办公室
q-audit|审计问题整改率|%|1|rate|85|区审计局
q-spending|财政资金支付进度|%|1|rate|70|区财政局
q-debt|债务化解计划完成率|%|1|rate|88|区财政局
q-complaints|营商环境投诉办结率|%|1|rate|93|区发展和改革局
"""

_TOWN_YEAR = """
y-gdp-growth|地区生产总值增速|%|1|rate|6|区统计局
y-revenue-growth|一般公共预算收入增速|%|1|rate|5|区财政局
y-productivity|全员劳动生产率|万元/人|1|amount|14|区统计局
y-rnd|研发经费投入强度|%|1|rate|2.2|区科学技术局
y-energy|单位地区生产总值能耗下降率|%|1|rate|3|区发展和改革局
y-urbanisation|常住人口城镇化率|%|1|rate|62|区统计局
y-strong-villages|集体经营性收入超10万元村占比|%|1|rate|70|区农业农村局
y-poverty|脱贫人口人均纯收入增速|%|1|rate|10|区乡村振兴局
y-key-projects|重点项目年度投资完成率|%|1|rate|95|区发展和改革局
y-signed|招商引资签约项目数|个|1|count|12|区投资促进局
y-big-projects|亿元以上项目落地数|个|1|count|3|区投资促进局
y-ecology|生态环境质量综合指数|分|1|score|82|区生态环境分局
y-security|群众安全感|%|1|rate|96|区委政法委
y-satisfaction|群众满意度测评得分|分|1|score|86|区委组织部
y-integrity|党风廉政建设考核得分|分|1|score|90|区纪委监委
y-party-review|基层党建述职评议得分|分|1|score|88|区委组织部
y-rule-of-law|法治政府建设考核得分|分|1|score|87|区司法局
y-culture|文化惠民工程完成率|%|1|rate|95|区文化和旅游局
y-livelihood|民生实事完成率|%|1|rate|96|区政府办公室
y-talent|引进人才数|人|1|count|25|区委组织部
"""

_DEPT_MONTH = """
dm-hotline|12345热线工单按期办结率|%|1|rate|95|区政府办公室
dm-online|网上办件按时办结率|%|1|rate|97|区行政审批服务局
dm-documents|公文办理及时率|%|1|rate|94|区委办公室
dm-duty|值班值守抽查合格率|%|1|rate|96|区政府办公室
dm-reports|政务信息采用条数|条|1|count|6|区委办公室
"""

_DEPT_QUARTER = """
dq-budget|预算执行率|%|1|rate|72|区财政局
dq-service|政务服务好差评满意率|%|1|rate|97|区行政审批服务局
dq-disclosure|依申请公开按期答复率|%|1|rate|96|区政府办公室
dq-review|行政复议纠错率|%|-1|rate|4|区司法局
dq-proposals|建议提案按期办结率|%|1|rate|98|区政府办公室
dq-tickets|热线工单群众满意率|%|1|rate|90|区政府办公室
dq-audit|审计整改完成率|%|1|rate|88|区审计局
dq-information|政务信息采用数|条|1|count|15|区委办公室
dq-business|营商环境投诉办结率|%|1|rate|94|区发展和改革局
dq-timeliness|公文运转及时率|%|1|rate|95|区委办公室
"""

_DEPT_YEAR = """
dy-key-work|年度重点工作完成率|%|1|rate|93|区委办公室
dy-clients|服务对象满意度|分|1|score|88|区委组织部
dy-party|机关党建考核得分|分|1|score|90|区委组织部
dy-law|法治建设考核得分|分|1|score|88|区司法局
dy-lawsuits|行政诉讼败诉案件数|件|-1|count|1|区司法局
dy-performance|财政资金绩效评价得分|分|1|score|85|区财政局
dy-data|数据共享目录完成率|%|1|rate|90|区数据资源局
dy-openness|政务公开考评得分|分|1|score|89|区政府办公室
"""


def _parse(text: str, frequency: str, group: str) -> list[Spec]:
    specs = []
    for line in text.strip().splitlines():
        code, name, measure, direction, shape, base, provider = line.split("|")
        specs.append(
            Spec(
                code,
                name,
                measure,
                int(direction),
                shape,
                float(base),
                provider.replace("区政府办公室", "区人民政府办公室"),
                frequency,
                group,
            )
        )
    return specs


CATALOGUE = (
    _parse(_TOWN_MONTH, "month", "town")
    + _parse(_TOWN_QUARTER, "quarter", "town")
    + _parse(_TOWN_YEAR, "year", "town")
    + _parse(_DEPT_MONTH, "month", "dept")
    + _parse(_DEPT_QUARTER, "quarter", "dept")
    + _parse(_DEPT_YEAR, "year", "dept")
)
