"""Reading and cleaning speeches: each kind of noise from the web, on the project's own text."""

import io

from docx import Document

from luoshi.directives.speech.clean import clean
from luoshi.directives.speech.read import decode, read_file

BODY = (
    "今年以来，全区上下围绕中心工作，扎实推进各项任务，经济运行总体平稳，民生事业持续改善，"
    "基层治理能力不断提升。"
)
SECOND = (
    "下面，我就做好下一阶段的工作讲三点意见，请大家认真抓好贯彻落实，确保各项任务按时完成见到实效。"
)


def web_page() -> str:
    """A speech as copied from a document-sharing site: header, breadcrumbs, tip box, footer."""
    return "\n".join(
        [
            "首页 > 范文大全 > 领导讲话",
            "在全区重点工作推进会上的讲话",
            "2025-06-18 2417",
            "在全区重点工作推进会上的讲话",
            "",
            "同志们:",
            BODY,
            "本站提供专业代写服务，原创范文，联系客服",
            SECOND,
            "阅读全文",
            "（想阅读完全部内容，您需要先登录！）",
            "如果喜欢本篇内容，请赞赏鼓励哦！",
            "¥5",
            "¥8.88",
            "分享:",
            "微信扫一扫在手机阅读、分享本文",
            "本文标题：在全区重点工作推进会上的讲话",
            "链接地址：http://example.invalid/article/12345.html",
            "相关内容",
            "https://example.invalid/more",
        ]
    )


def test_site_text_goes_and_every_body_line_stays_with_a_reason_for_each_removal():
    result = clean(web_page())
    assert result.title == "在全区重点工作推进会上的讲话"
    assert result.paragraphs == ["同志们：", BODY, SECOND]
    reasons = {r.line: r.reason for r in result.removed}
    assert reasons["首页 > 范文大全 > 领导讲话"] == "breadcrumb"
    assert reasons["2025-06-18 2417"] == "date and view count"
    assert reasons["本站提供专业代写服务，原创范文，联系客服"] == "ghost-writing advert"
    assert reasons["阅读全文"] == "“read more” link" and reasons["¥8.88"] == "tip box"
    assert reasons["链接地址：http://example.invalid/article/12345.html"] == "article footer"
    assert reasons["https://example.invalid/more"] == "web address"
    assert reasons["在全区重点工作推进会上的讲话"] == "title repeated"


def test_a_body_line_that_mentions_sharing_is_kept():
    line = "要加快建设全区数据共享平台，推动部门之间信息互通、分享共用，让数据多跑路、群众少跑腿，年底前建成投用。"
    result = clean("在全区数字政府建设推进会上的讲话\n" + BODY + "\n" + line)
    assert line in result.paragraphs and not result.removed


def test_title_recovered_from_the_footer_when_the_page_has_none_on_top():
    result = clean(BODY + "\n" + SECOND + "\n本文标题：在全区安全生产工作会议上的讲话")
    assert result.title == "在全区安全生产工作会议上的讲话" and result.paragraphs == [BODY, SECOND]


def test_pinyin_after_characters_and_junk_at_line_starts_are_removed():
    damaged = (
        "??? 全区(qū)经(jīng)济发展要稳中求进，"
        + "各项工作(zuò)要抓紧抓实，确保全年目标任务圆满完成，不断开创新局面。"
    )
    result = clean("标题\n" + damaged)
    assert result.paragraphs == [
        "全区经济发展要稳中求进，各项工作要抓紧抓实，确保全年目标任务圆满完成，不断开创新局面。"
    ]
    assert result.repairs["pinyin"] == 3 and result.repairs["line_start_junk"] == 1


def _slipped(prefix: str, quoted: str, suffix: str) -> str:
    """GBK text decoded one byte out of step inside a quotation, as converters damage it:
    the lost bytes read as '?', the run between them as rare characters."""
    whole = (prefix + "。“" + quoted + "”，" + suffix).encode("gbk")
    start = len(prefix.encode("gbk"))
    end = len((prefix + "。“" + quoted).encode("gbk"))
    return prefix + "?" + whole[start + 1 : end + 1].decode("gbk") + "?" + "，" + suffix


def test_text_decoded_one_byte_out_of_step_is_repaired():
    damaged = _slipped(
        "敢于担当是干好工作的重要条件", "马上就办", "各单位要立说立行，件件有着落、事事有回音。"
    )
    assert "马上就办" not in damaged
    result = clean("标题\n" + damaged)
    assert "重要条件。“马上就办”，各单位要立说立行" in result.paragraphs[0]
    assert result.repairs["misaligned"] == 1


def test_half_width_punctuation_is_restored_but_not_inside_numbers():
    result = clean(
        "标题\n全区完成投资12.5亿元,增长8.3%;会议定于9:30召开,请各单位(含园区)准时参加,不得缺席!"
    )
    assert result.paragraphs == [
        "全区完成投资12.5亿元，增长8.3%；会议定于9:30召开，请各单位（含园区）准时参加，不得缺席！"
    ]


def test_traditional_text_is_converted_only_when_traditional():
    traditional = clean(
        "標題\n全區經濟工作會議要求各單位認真貫徹落實，確保項目早開工、早建設、早投產。"
    )
    assert traditional.traditional
    assert "全区经济工作会议要求各单位认真贯彻落实" in traditional.paragraphs[0]
    simplified = clean("标题\n" + BODY)
    assert not simplified.traditional and simplified.paragraphs == [BODY]


def test_encodings_are_detected():
    text = "标题\n" + BODY
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("gb18030")) == (text, "gb18030")
    big5 = "全區經濟工作會議要求各單位認真貫徹落實，確保項目早開工、早建設、早投產。"
    assert decode(big5.encode("big5")) == (big5, "big5")


def test_docx_and_text_pdf_are_read(tmp_path):
    doc = Document()
    for line in ("在全区重点工作推进会上的讲话", BODY, SECOND):
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    text, how = read_file("讲话.docx", out.getvalue())
    assert how == "docx" and BODY in text

    from weasyprint import HTML

    pdf = HTML(string=f"<html><body><p>{BODY}</p></body></html>").write_pdf()
    text, how = read_file("讲话.pdf", pdf)
    assert how == "pdf" and "经济运行总体平稳" in text.replace("\n", "")
