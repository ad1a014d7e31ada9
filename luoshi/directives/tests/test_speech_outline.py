"""The outline from each kind of marker, and the work items proposed, on the project's own text."""

from luoshi.directives.speech.outline import build_outline, cn_number
from luoshi.directives.speech.proposals import is_work_item, propose, targets_in


def tree(paragraphs):
    root = build_outline(paragraphs)
    return [
        (len(path), node.label, node.title) for path, node in root.walk() if node.kind != "root"
    ]


def test_numbers():
    assert [cn_number(t) for t in ("一", "九", "十", "十二", "二十", "二十三", "7")] == [
        1,
        9,
        10,
        12,
        20,
        23,
        7,
    ]


def test_headings_nest_in_the_order_the_speech_uses_them():
    outline = tree(
        [
            "第一个问题：统一思想认识",
            "（一）认清形势。当前经济运行面临新的困难和挑战。",
            "1、稳住工业基本盘。",
            "（1）抓好重点企业。",
            "（2）抓好园区建设。",
            "2、扩大有效投资。",
            "（二）明确任务。",
            "第二个问题：狠抓工作落实",
            "一、压实责任。",
            "二、强化督查。",
        ]
    )
    assert outline == [
        (1, "第一个问题", "统一思想认识"),
        (2, "（一）", "认清形势"),
        (3, "1、", "稳住工业基本盘"),
        (4, "（1）", "抓好重点企业"),
        (4, "（2）", "抓好园区建设"),
        (3, "2、", "扩大有效投资"),
        (2, "（二）", "明确任务"),
        (1, "第二个问题", "狠抓工作落实"),
        (2, "一、", "压实责任"),
        (2, "二、", "强化督查"),
    ]


def test_inline_lists_and_lists_that_restart():
    outline = tree(
        [
            "一、抓项目。要做到三点：一是抓谋划，储备一批好项目；二是抓开工，确保项目早落地；三是抓投产，尽快形成产能。",
            "二、抓民生。一要办好民生实事，二要兜住民生底线。",
            "第一，工作要有清单。第二，清单要有时限。",
            "首先，要把责任压紧。其次，要把措施落细。最后，要把考核用好。",
            "——坚持项目为王。",
            "——坚持生态优先。",
        ]
    )
    labels = [(depth, label) for depth, label, _t in outline]
    assert labels[:6] == [
        (1, "一、"),
        (2, "一是"),
        (2, "二是"),
        (2, "三是"),
        (1, "二、"),
        (2, "一要"),
    ]
    assert (2, "二要") in labels and (2, "第一") in labels and (2, "第二") in labels
    assert (2, "首先") in labels and (2, "其次") in labels and (2, "最后") in labels
    assert [label for _d, label, _t in outline].count("——") == 2


def test_parallel_sentences_without_numbers_are_a_list():
    outline = tree(
        [
            "做好今年的工作，关键在于抓落实。",
            "抓落实，必须要有时不我待的紧迫感，说了算、定了干。",
            "抓落实，必须要有一抓到底的韧劲，不达目的不罢休。",
            "抓落实，必须要有敢于碰硬的担当，真督实查、严考硬评。",
            "党员干部要带头冲锋，冲在一线。",
            "职能部门要协同冲锋，主动补位。",
        ]
    )
    kinds = [t for _d, _l, t in outline]
    assert len(kinds) == 6
    root = build_outline(
        [
            "抓落实，必须要有时不我待的紧迫感。",
            "抓落实，必须要有一抓到底的韧劲。",
            "党员干部要带头冲锋，冲在一线。",
            "职能部门要协同冲锋，主动补位。",
        ]
    )
    assert [n.marker for n in root.children] == ["parallel"] * 4


def test_a_speech_that_arrives_as_one_long_line_is_split_at_its_headings():
    one_line = "同志们，下面讲两个问题。第一个问题：认清形势。今年任务很重。第二个问题：狠抓落实。一是压实责任；二是强化考核。"
    outline = tree([one_line])
    labels = [(d, label) for d, label, _t in outline]
    assert (1, "第一个问题") in labels and (1, "第二个问题") in labels and (2, "一是") in labels


def test_target_fields():
    (t,) = targets_in("到2027年末，全区森林覆盖率达到62.5%以上。")
    assert (t.indicator, t.comparison, t.value, t.unit, t.deadline) == (
        "全区森林覆盖率",
        "ge",
        "62.5",
        "%",
        "到2027年末",
    )
    (t,) = targets_in("城镇登记失业率控制在3.5%以内。")
    assert (t.comparison, t.value, t.unit) == ("le", "3.5", "%")
    (t,) = targets_in("“十五五”期间，新增城镇就业XX万人以上。")
    assert t.placeholder and t.value == "XX" and t.unit == "万人" and "十五五" in t.deadline
    (t,) = targets_in("用2-3年时间，培育规上企业不少于X家。")
    assert t.deadline == "用2-3年时间" and t.comparison == "ge" and t.placeholder
    assert targets_in("围绕“三大战略”，办好第X届旅游发展大会。") == []


def test_commitments_are_work_items_and_exhortations_are_not():
    assert is_work_item("建立健全重大决策专家咨询制度。", [])
    assert is_work_item("设立骏马奖和蜗牛奖，每季度评选一次。", [])
    assert not is_work_item("各级干部要敢于担当、善于作为。", [])
    assert not is_work_item("今年以来，我们已建成标准化厂房10万平方米。", [])
    assert not is_work_item("如何把政策用足用好？", [])


def test_proposals_carry_their_place_sentence_target_and_unit():
    units = [(7, "区发展和改革局"), (8, "区农业农村局")]
    root = build_outline(
        [
            "第一个问题：抓好重点项目",
            "一是由发展和改革局牵头建立重点项目储备库，年底前入库项目不少于50个。二是各级干部要敢于担当。",
            "第二个问题：推进乡村振兴",
            "到20xx年，区农业农村局要新建高标准农田X万亩以上。",
        ]
    )
    proposals = propose(root, units)
    assert [p.path for p in proposals] == [["第一个问题", "一是"], ["第二个问题"]]
    first, second = proposals
    assert first.unit_id == 7 and first.targets[0].value == "50" and first.deadline == "年底前"
    assert "重点项目储备库" in first.title and first.sentence.startswith("由发展和改革局牵头")
    assert (
        second.unit_id == 8
        and second.placeholders == ["20xx", "X"]
        and second.targets[0].unit == "万亩"
    )
