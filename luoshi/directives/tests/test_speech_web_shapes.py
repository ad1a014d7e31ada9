"""The speech import on the shapes real web copies come in (issue 16): one-line scrapes with
preview chunks, greetings, adverts and footers around the speech, headings of every family
found inline, Traditional text with conversion damage, hard-wrapped lines. The texts are the
project's own, written in those shapes; none is copied from a real page."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.directives.speech import import_speech
from luoshi.directives.speech.clean import clean
from luoshi.directives.speech.outline import build_outline
from luoshi.directives.speech.proposals import SHOWN, propose


def outline_of(paragraphs):
    return [
        (node.level, node.label)
        for _path, node in build_outline(paragraphs).walk()
        if node.kind in ("heading", "item")
    ]


def shown(text: str) -> list[str]:
    result = import_speech("t.txt", text.encode("utf-8"))
    return [p.sentence for p in result.proposals if p.confidence >= SHOWN]


# A document site's preview: chunks numbered 1、2、 cut mid-word, the document's name before
# the speech's own title, everything on one line per chunk.
ONE_LINE = (
    "1、县长在全县春耕生产调度会上讲话 在全县春耕生产调度会上的讲话 同志们：今天召开全县春耕"
    "生产调度会，主要任务是安排部署当前农业生产工作。下面，我讲三点意见。一、认清形势，压实责任"
    "当前正值春耕关键时期，各乡镇要把握农时。（一）稳定粮食面积一是落实种粮补贴，4月底前全部发"
    "放到户；二是建立撂荒地台账，逐块明确复耕责任人。（二）抓好农资供应县农业农村局要会同市场监"
    "管局开展农资打假专项行动，每周通报一次检查结果。二、强化保障，狠抓落实县委督查室要对各乡镇"
    "春耕进度每半月督查一次，5月上旬召开推进会，听取各乡镇汇报。各级干部要切实增强责任意识，以更"
    "加饱满的热情投入到春耕生产中去，确保各项工作落到实处，为全年农业丰收打下坚\n"
    "2、实基础。同志们，春耕生产事关全年，希望大家齐心协力，确保今年粮食生产再获丰收。"
)


def test_a_one_line_preview_gives_its_title_headings_and_work_items():
    result = import_speech("preview.txt", ONE_LINE.encode("utf-8"))
    cleaned = result.cleaned
    assert cleaned.title == "在全县春耕生产调度会上的讲话" and not cleaned.title_proposed
    reasons = {(r.line, r.reason) for r in cleaned.removed}
    assert ("1、", "page mark") in reasons and ("2、", "page mark") in reasons
    assert ("县长在全县春耕生产调度会上讲话", "page title") in reasons
    # The chunks are joined: the second's first words continue the first's last sentence.
    assert any("打下坚实基础。同志们，春耕生产事关全年" in p for p in cleaned.paragraphs)
    outline = [
        (n.level, n.label) for _p, n in result.outline.walk() if n.kind in ("heading", "item")
    ]
    assert outline == [
        (1, "一、"),
        (2, "（一）"),
        (3, "一是"),
        (3, "二是"),
        (2, "（二）"),
        (1, "二、"),
    ]
    likely = [p for p in result.proposals if p.shown]
    sentences = " ".join(p.sentence for p in likely)
    for work in ("种粮补贴", "撂荒地台账", "农资打假专项行动", "每半月督查一次", "召开推进会"):
        assert work in sentences, work
    assert "责任意识" not in sentences and "春耕生产事关全年" not in sentences
    subsidy = next(p for p in likely if "种粮补贴" in p.sentence)
    assert subsidy.deadline == "4月底前" and subsidy.path == ["一、", "（一）", "一是"]


# A web page: a greeting to the visitor, a date stamp, the title twice, an advert inside
# the text, a "shared by" footer with the article's address.
WEB_PAGE = "\n".join(
    [
        "您好，欢迎来到公文素材站！",
        "首页 > 讲话稿 > 领导讲话",
        "在全区河长制工作会议上的讲话",
        "2024-05-06 09:12:33 阅读 356",
        "在全区河长制工作会议上的讲话",
        "同志们：",
        "今天召开全区河长制工作会议，主要任务是总结去年工作，部署今年任务。",
        "一、巩固治水成果。区水利局要在6月底前完成全区12条河道清淤，汛期前全部验收。",
        "点击👉获取更多范文👈，专业写作请联系老师。",
        "二、健全长效机制。建立河长巡河积分制度，每月通报一次巡河情况。",
        "谢谢大家！",
        "本文由网友分享于本站，文章地址：http://example.invalid/speech/1024.html",
        "上一篇：在全区安全生产会议上的讲话",
        "相关推荐",
    ]
)


def test_greetings_adverts_and_footers_go_with_their_reasons_and_the_speech_stays():
    cleaned = clean(WEB_PAGE)
    assert cleaned.title == "在全区河长制工作会议上的讲话"
    assert cleaned.paragraphs == [
        "同志们：",
        "今天召开全区河长制工作会议，主要任务是总结去年工作，部署今年任务。",
        "一、巩固治水成果。区水利局要在6月底前完成全区12条河道清淤，汛期前全部验收。",
        "二、健全长效机制。建立河长巡河积分制度，每月通报一次巡河情况。",
        "谢谢大家！",
    ]
    reasons = {r.line: r.reason for r in cleaned.removed}
    assert reasons["您好，欢迎来到公文素材站！"] == "greeting to the visitor"
    assert reasons["首页 > 讲话稿 > 领导讲话"] == "breadcrumb"
    assert reasons["2024-05-06 09:12:33 阅读 356"] in ("date and time stamp", "view count")
    assert reasons["点击👉获取更多范文👈，专业写作请联系老师。"] == "ghost-writing advert"
    assert reasons["本文由网友分享于本站，文章地址：http://example.invalid/speech/1024.html"]
    assert reasons["上一篇：在全区安全生产会议上的讲话"] == "site navigation"
    assert "在全区河长制工作会议上的讲话" in reasons  # the repeat


def test_a_greeting_never_becomes_the_title_and_a_missing_title_is_proposed():
    text = (
        "您好，欢迎访问本站\n同志们：\n今天我们召开全县秋冬季造林动员会，安排今冬明春造林绿化工作。"
    )
    cleaned = clean(text)
    assert cleaned.title == "在全县秋冬季造林动员会上的讲话" and cleaned.title_proposed
    assert [r.reason for r in cleaned.removed] == ["greeting to the visitor"]
    # No occasion in the text: the caller's meeting, else a placeholder a person replaces.
    bare = "同志们：\n下面我讲几点意见，请大家认真抓好落实。"
    assert clean(bare, "全区防汛工作会").title == "在全区防汛工作会上的讲话"
    assert clean(bare).title == "讲话（标题待定）" and clean(bare).title_proposed


def test_inline_markers_of_every_family_and_depth_by_family():
    outline = outline_of(
        [
            "同志们，下面讲两点。第一部分：形势。这一部分讲形势。",
            "一、抓项目。其一，抓谋划；其二，抓开工。",
            "（一）抓招商。一方面要引进龙头企业，另一方面要培育本地企业。",
            "1.项目库。①入库审核。②动态调整。",
            "第二部分：落实。这一部分讲落实。",
            "“三个到位”：一是人员到位；二是资金到位；三是措施到位。",
            "“两个确保”：确保按期开工，确保按期投产。",
        ]
    )
    assert outline == [
        (1, "第一部分"),
        (2, "一、"),
        (3, "其一"),
        (3, "其二"),
        (3, "（一）"),
        (4, "一方面"),
        (4, "另一方面"),
        (4, "1."),
        (5, "①"),
        (5, "②"),
        (1, "第二部分"),
        (2, "“三个到位”："),
        (3, "一是"),
        (3, "二是"),
        (3, "三是"),
        (2, "“两个确保”："),
    ]


def test_a_heading_family_keeps_its_depth_where_its_parent_is_not_in_the_text():
    # A page that starts inside part 五: its （二） is second-level like the （一） under 六、.
    outline = outline_of(["（二）清理旧账", "说明。", "六、改善民生", "（一）办好学校", "说明。"])
    assert outline == [(2, "（二）"), (1, "六、"), (2, "（一）")]


def test_sequence_words_that_open_a_greeting_or_an_agenda_are_no_list():
    outline = outline_of(
        [
            "首先，我代表区委向大家表示感谢！",
            "首先，进行第一项议程。",
            "最后，祝大家工作顺利！",
        ]
    )
    assert outline == []
    outline = outline_of(
        [
            "首先，要压实责任。各单位要明确专人。",
            "其次，要强化督查。督查室每月通报。",
            "最后，要严格考核。年底兑现奖惩。",
        ]
    )
    assert outline == [(1, "首先"), (1, "其次"), (1, "最后")]


def test_a_list_inside_the_open_item_of_another_nests_and_one_after_a_closed_list_does_not():
    nested = outline_of(
        ["今天讲三个方面。第一，冲刺全年目标。一要抓指标。二要抓项目。第二，谋划明年工作。"]
    )
    assert nested == [(1, "第一"), (2, "一要"), (2, "二要"), (1, "第二")]
    beside = outline_of(
        ["第一，工作要有清单。第二，清单要有时限。", "首先，要把责任压紧。其次，要把措施落细。"]
    )
    assert beside == [(1, "第一"), (1, "第二"), (1, "首先"), (1, "其次")]


def test_topic_sentences_and_dash_blocks():
    outline = outline_of(
        [
            "一、抓落实",
            "要强化责任。各单位一把手要亲自抓。",
            "要细化措施。每项任务都要有时间表。",
            "要严格考核。考核结果与评优挂钩。",
            "——坚持项目为王。",
            "——坚持生态优先。",
        ]
    )
    assert outline == [(1, "一、"), (2, ""), (2, ""), (2, ""), (2, "——"), (2, "——")]


# Traditional characters copied through a converter that adds pinyin in brackets, with the
# site's disclaimer and publication time in Traditional too.
TRADITIONAL = "\n".join(
    [
        "在全縣(xiàn)招商引資推進會(huì)上的講話",
        "時(shí)間:2023-08-01 10:20:00",
        "導(dǎo)語(yǔ):本文來(lái)源于網(wǎng)友上傳,不代表本站觀點(diǎn)。",
        "同志們:",
        "今年以來,全縣招商引資取得了新進展。",
        "一要健全招商機(jī)制。縣投促局要在9月底前出臺(tái)招商引資獎(jiǎng)勵(lì)辦法。",
        "二要加強(qiáng)督查考核。縣委督查室每季度通報一次各鄉(xiāng)鎮(zhèn)招商情況。",
    ]
)


def test_traditional_text_with_pinyin_is_converted_and_its_site_text_goes():
    result = import_speech("t.txt", TRADITIONAL.encode("utf-8"))
    cleaned = result.cleaned
    assert cleaned.traditional and cleaned.repairs["pinyin"] >= 10
    assert cleaned.title == "在全县招商引资推进会上的讲话"
    assert [r.reason for r in cleaned.removed] == ["article metadata", "site notice"]
    assert cleaned.paragraphs[0] == "同志们："
    assert [(n.level, n.label) for _p, n in result.outline.walk() if n.kind == "item"] == [
        (1, "一要"),
        (1, "二要"),
    ]
    likely = [p.sentence for p in result.proposals if p.shown]
    assert any("奖励办法" in s for s in likely) and any("每季度通报" in s for s in likely)
    assert not any("取得了新进展" in s for s in likely)


def test_hard_wrapped_lines_are_joined_and_headings_are_not():
    wrapped = [
        "在全区重点项目攻坚会上的讲话",
        "同志们：",
        "今天，我们召开全区重点项目攻坚会，对下一",
        "阶段项目建设作出安排。区发改局要牵头建立",
        "重点项目周调度机制，每周五前报送进度，各",
        "镇街要逐项明确责任领导和完成时限。各部门",
        "要主动靠前服务，帮助企业解决实际困难。",
        "一、抓开工",
        "全区二十个重点项目要在六月底前全部开工，",
        "未开工的项目要逐个说明原因，限期整改到位",
        "，确保年底前完成年度投资任务。",
    ]
    cleaned = clean("\n".join(wrapped))
    assert cleaned.paragraphs[1].startswith("今天，我们召开") and cleaned.paragraphs[1].endswith(
        "帮助企业解决实际困难。"
    )
    assert cleaned.paragraphs[2] == "一、抓开工"
    assert cleaned.paragraphs[3].endswith("确保年底前完成年度投资任务。")
    assert cleaned.repairs["rejoined_lines"] >= 6


def test_principle_history_and_praise_are_folded_and_commitments_are_shown():
    text = "\n".join(
        [
            "在全县优化营商环境大会上的讲话",
            "同志们：",
            "营商环境是发展的生命线，是一个地方的核心竞争力。",
            "去年以来，全县营商环境持续改善，企业满意度明显提升。",
            "刚才，几个部门作了很好的发言，我完全同意。",
            "各级干部要增强责任意识，以更加务实的作风抓好落实。",
            "县政务服务中心要在10月底前实现企业开办一个工作日办结。",
            "全面推行“一件事一次办”，年内上线20个高频事项。",
            "县纪委监委每季度开展一次损害营商环境问题专项督查。",
            "市委、省委对营商环境提出了明确要求。",
        ]
    )
    likely = shown(text)
    assert likely == [
        "县政务服务中心要在10月底前实现企业开办一个工作日办结。",
        "全面推行“一件事一次办”，年内上线20个高频事项。",
        "县纪委监委每季度开展一次损害营商环境问题专项督查。",
    ]
    root = build_outline(clean(text).paragraphs)
    everything = {p.sentence: p for p in propose(root)}
    assert "营商环境是发展的生命线，是一个地方的核心竞争力。" not in everything or (
        everything["营商环境是发展的生命线，是一个地方的核心竞争力。"].confidence < SHOWN
    )


def test_ranking_targets_and_owners_of_indicators():
    text = (
        "同志们：今天召开全县考核指标推进会。第一，冲刺全年目标。一要抓指标。"
        "县统计局承担的规上工业增加值增速指标要确保全市前X，力争全市第X；"
        "县商务局承担的外贸指标要确保在全市不垫底。"
    )
    result = import_speech("t.txt", text.encode("utf-8"))
    likely = [p for p in result.proposals if p.shown]
    assert len(likely) == 2
    first, second = likely
    assert first.targets[0].indicator == "全市排名" and first.targets[0].placeholder
    assert second.targets[0].text == "不垫底"
    assert first.path == ["第一", "一要"]


# An attack on the cleaner: any text of speech-like pieces, page furniture and punctuation,
# on any number of lines. It must not fail, and nothing may vanish unreported: every
# character of the file is in the title, the paragraphs or a reported removal.
PIECES = [
    "同志们：",
    "在全县工作会议上的讲话",
    "一、",
    "（二）",
    "1.",
    "一是",
    "二要",
    "首先，",
    "——",
    "要抓好项目建设。",
    "年底前完成。",
    "本站",
    "下载",
    "首页 > 范文",
    "2024-01-01 10:00",
    "http://a.invalid/x",
    "1、",
    "编者按：",
    "分享",
    "谢谢大家！",
    "区发改局要牵头",
    "，",
    "。",
    " ",
    "\n",
    "“三个到位”：",
    "其一，",
    "全文共300字",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_the_cleaner_never_fails_and_loses_nothing_unreported(pieces):
    text = "".join(pieces)
    result = import_speech("t.txt", text.encode("utf-8"))
    cleaned = result.cleaned
    seen = Counter(cleaned.title + "".join(cleaned.paragraphs))
    seen.update("".join(r.line for r in cleaned.removed))
    wanted = Counter(c for c in text if "\u4e00" <= c <= "\u9fff")
    assert all(seen[c] >= n for c, n in wanted.items())
    assert all(0 <= p.confidence <= 1 for p in result.proposals)
