"""How likely a sentence of a speech is a work item a 督查室 would list: a concrete commitment
(something to build, start, complete, improve, reach, cut or hold, by someone, perhaps by a
date or to a number), as against principle, history, praise, problems, the meeting's own
framing, or what a higher level does. A confidence, with the reasons, so that the review
page can show the likely ones and fold the rest away."""

import re
from dataclasses import dataclass, field

# Said of the future, or as an order.
FUTURE = re.compile(
    r"(?<![主重需纲提简必只])要(?![求点素害闻])|(?<![即必])将(?!近|军)|必须|务必|力争|确保|争取|拟|预定|未来|"
    r"今后|下一步|下步|明年|抓紧|尽快|需要|应当|一律|还将|年底前|月底前|之前完成|前完成|"
    r"每[年季月周旬]|定期|限期"
)
# Told of the past: what was done, achieved, counted.
PAST = re.compile(
    r"(?<!不得)已(?![知])|^(?:今年以来|去年|近年来|近几年|一年来|五年来|几年来|多年来|过去|刚才|截至|截止|目前|现已|已经|已)|"
    r"已(?:经|实施|建成|完成|组建|开工|投产|成立|出台)|(?:取得|得到|给予|保持|实现|完成|提出|部署|召开|"
    r"获得|形成|发生|开展|实施|制定|出台|成立|建成|组织|增加|提高|突破)了|截至|截止|累计|共计|"
    r"同比|比上年|较上年|年均增长|增幅|荣获|被评为|获批|跨入|跃上|创历史|以来|预计实现|预计完成|"
    r"回顾|一年来|成效明显|成效显著"
)
PAST_LE = re.compile(r"(?<![为除不])了(?![解结不起得])")
# The meeting itself: its purpose, what others said, what the speaker will say.
FRAMING = re.compile(
    r"这次会议|本次会议|今天的会议|今天这个会|这次.{0,12}会|召开这次|召开本次|今天，|今日|刚才|"
    r"(?:今天|今日|我们|在这里|在此).{0,8}召开|会议的主题|议程|请.{0,12}同志|"
    r"会议的主要任务|主要任务是|主要目的|目的是|下面，我|我讲|讲几点|几点意见|讲话|希望大家|"
    r"动员令|冲锋号|发言|表态|致以|祝贺|感谢|问候|欢迎"
)
# What a higher level does is context for the district, not its work item.
HIGHER = re.compile(
    r"^(?:党中央|中央|国家|国务院|省委|省政府|市委|市政府|习近平|总书记|党的十|上级)|"
    r"(?:中央|省委|市委|省里|市里)(?:提出|强调|要求|部署|明确|作出|出台|召开)"
)
# Words of attitude and exhortation: "要敢于担当" is not a task.
EXHORTATION = re.compile(
    r"敢于|善于|勇于|坚定|信心|决心|思想|意识|认识|精神状态|作风|态度|氛围|心往一处|劲往一处|"
    r"担当|执行力|狠抓落实|抓好落实|贯彻落实|高度重视|统一思想|凝聚共识|提高站位|站位|使命感|"
    r"紧迫感|责任感|危机感|只争朝夕|久久为功|真抓实干|撸起袖子|攻坚热潮|大干快上|比学赶超|"
    r"主动性|积极性|创造性|凝心聚力|鼓足干劲|振奋精神|以更大|以更高|以更实|不折不扣|背水一战|"
    r"肩负|重托|职责|理由|借口|使命|大局|全局|角色定位|着眼|仰望"
)
# Statements of principle and significance.
PRINCIPLE = re.compile(
    r"是.{0,30}(?:基础|前提|关键|保障|抓手|引擎|生命线|要务|第一|需要|要求|举措|途径|之策|之举|"
    r"竞争力|生产力|软实力|必由之路|捷径|重中之重|总抓手|牛鼻子|内在要求|根本|灵魂|核心|意义|手段|方法)|"
    r"关系到|事关|决定|意味着|说明|表明|体现|必将|能够|不仅.{0,40}更|既是.{0,20}也是"
)
# Describing problems and shortfalls.
PROBLEM = re.compile(
    r"存在|不足|差距|短板|薄弱|滞后|不强|不够|不高|较慢|不理想|问题|困难|挑战|形势"
)
QUESTION = re.compile(r"[？?]$|^(?:如何|怎么|为什么|难道)")
# Verbs of work that can be checked.
ACTION = re.compile(
    r"建立|健全|完善|出台|制定|编制|修订|建设|新建|建成|改建|扩建|开工|投产|竣工|达产|完成|召开|"
    r"举办|开展|组织|实行|实施|推行|设立|成立|组建|打造|引进|培育|创建|申报|改造|整治|清理|压减|"
    r"精简|取消|减少|削减|调整|推广|上线|启动|挂牌|签约|验收|督查|督办|通报|考核|约谈|问责|评选|"
    r"表彰|奖励|重奖|接种|采购|招聘|审查|排查|巩固|提高|提升|降低|控制|新增|增加|扩大|缩短|"
    r"实现|达到|覆盖|化解|清零|销号|落实|完工|投用|投入使用|交付|通车|运营|接种"
)
# Finishing something built or set up: concrete by itself.
COMPLETION = re.compile(r"竣工|完工|达产|投产|建成|投用|投入使用|交付使用|通车|挂牌|上线运行")
# A sentence that opens with the work itself ("建立健全…制度。") is an order.
IMPERATIVE = re.compile(
    r"^(?:[一二三四五六七八九十]是|第[一二三四五六七八九十]，)?(?:加快|全面|积极|大力|认真|切实|进一步|持续|深入|着力|"
    r"扎实|抓紧|尽快|统筹|依法|严格)?(?:" + ACTION.pattern + ")"
)
# Commentary: what the speaker explains, not what anyone will do.
COMMENTARY = re.compile(
    r"^(?:但|但是|然而|因此|所以|比如|例如|这是|这些|这就|也就是说|换句话说|可以说|应该说|"
    r"总之|总的来看|总体来看|从.{0,8}看|说.{0,4}是|实践证明|事实证明)"
)
# Things that can be named, counted, built or held.
OBJECT = re.compile(
    r"[“「《][^”」》]{2,20}[”」》]|工程|项目|机制|制度|台账|清单|平台|中心|品牌|行动|活动|专项|督查|"
    r"调度会|例会|会议|方案|办法|规划|园区|基地|预案|演练|政策|标准|体系|小组|专班|库|"
    r"指标|排名|责任书|合同|协议|企业|设施|道路|管网|学校|医院|厂房|政策|补贴|资金|一事一议"
)
# Generic wording that names no particular thing.
GENERIC = re.compile(r"各项|各类|一切|方方面面|全方位|各个方面|各项工作|工作任务|目标任务")
OWNER = re.compile(
    r"(?:[县区市镇乡][\u4e00-\u9fff]{0,8}?(?:局|办|委|中心|公司|院|所|站)|各(?:乡镇|街道|部门|单位)|"
    r"牵头|负责|责任单位|承担的)"
)
RECURRING = re.compile(r"每[年季月周旬天日]|定期|常态化")
RETROSPECTIVE_HEADING = re.compile(r"回顾|总结|成绩|成效|过去|回眸|取得|形势")
# A part that relays what a higher level said: "市委书记讲话主要精神".
RELAYED_HEADING = re.compile(
    r"(?:中央|国务院|省委|省政府|市委|市政府|上级|全省|全市).{0,16}(?:精神|讲话|会议|要求|部署)"
)


@dataclass
class Judgement:
    confidence: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class Context:
    """Where the sentence stands: the section's heading, the item's topic, the clause's
    lead-in, the paragraph."""

    heading: str = ""  # the section's
    headings: str = ""  # all of them, from the top
    topic_future: bool = False
    lead_past: bool = False
    lead_future: bool = False
    framing: bool = False


def judge(sentence: str, context: Context, has_target: bool, deadline: str) -> Judgement:
    text = sentence.strip()
    reasons: list[str] = []
    if len(text) < 8 or QUESTION.search(text):
        return Judgement(0.0, ["fragment or question"])
    past = bool(PAST.search(text) or PAST_LE.search(text)) or context.lead_past
    future = bool(FUTURE.search(text)) or context.lead_future
    if past and not (future and (deadline or has_target)):
        return Judgement(0.05, ["told of the past"])
    if HIGHER.search(text):
        return Judgement(0.1, ["what a higher level does"])
    if RETROSPECTIVE_HEADING.search(context.heading) and not future:
        return Judgement(0.1, ["in a review of past work"])
    if RELAYED_HEADING.search(context.headings):
        return Judgement(0.1, ["relays what a higher level said"])
    score = 0.2
    if future:
        score += 0.25
        reasons.append("said of the future")
    elif context.topic_future:
        score += 0.2
        reasons.append("under an item that says what to do")
    elif IMPERATIVE.match(text):
        score += 0.15
        reasons.append("said as an order")
    action = ACTION.search(text)
    # A verb and what it acts on, in one clause: "开展专项督查", "召开调度会".
    named = any(ACTION.search(c) and OBJECT.search(c) for c in re.split(r"[，,；：:]", text))
    completion = COMPLETION.search(text)
    if named or completion:
        score += 0.2
        reasons.append("a thing to do")
    elif not action and not has_target:
        score -= 0.2
    if deadline:
        score += 0.2
        reasons.append("a deadline")
    if has_target and (future or context.topic_future):
        score += 0.2
        reasons.append("a target")
    if OWNER.search(text):
        score += 0.1
        reasons.append("someone to do it")
    if RECURRING.search(text):
        score += 0.15
        reasons.append("held regularly")
    if EXHORTATION.search(text):
        # Attitude words beside a thing to finish by a date or to a number weigh less.
        firm = (named or completion) and (completion or deadline or has_target)
        score -= 0.15 if firm else 0.3
        reasons.append("attitude, not a task")
    if PRINCIPLE.search(text):
        score -= 0.3
        reasons.append("a principle")
    if COMMENTARY.search(text):
        score -= 0.2
        reasons.append("commentary")
    if PROBLEM.search(text) and not deadline:
        score -= 0.2
        reasons.append("describes a problem")
    if FRAMING.search(text):  # the meeting's own words are never a task
        score = min(score, 0.3) - 0.2
        reasons.append("about the meeting")
    elif context.framing:
        score -= 0.45
        reasons.append("opened by words about the meeting")
    if GENERIC.search(text) and not (deadline or has_target or (named and action)):
        score -= 0.15
        reasons.append("names nothing in particular")
    return Judgement(round(max(0.0, min(1.0, score)), 2), reasons)
