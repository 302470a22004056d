"""Reviewer-facing Chinese labels for ids used in records, the store and exports (the ids
themselves are stable and English; only these strings are shown)."""

from __future__ import annotations

FIELD_LABELS: dict[str, str] = {
    "owner": "资产方（甲方）",
    "counterparty": "合作方（乙方）",
    "asset": "标的资产",
    "asset_location": "资产坐落",
    "area_m2": "面积（㎡）",
    "term_start": "起始日期",
    "term_end": "终止日期",
    "term_months": "期限（月）",
    "rent_amount_yuan": "租金/收费金额（元）",
    "rent_period": "收费周期",
    "annual_rent_yuan": "年收费（元）",
    "deposit_yuan": "保证金（元）",
    "payee_account": "收款账户",
    "remittance": "收益上缴",
    "approval_body": "审批机关",
    "approval_doc_no": "批准文号",
    "collective_decision": "集体决策",
    "tender_method": "交易方式",
    "signed_date": "签订时间",
    "seal_present": "加盖公章",
}

TYPE_LABELS: dict[str, str] = {
    "lease": "租赁",
    "lending": "出借",
    "contracting": "承包经营",
    "cooperation": "合作开发/经营",
    "transfer": "转让",
    "guarantee": "担保",
    "other": "其他",
}

CHECK_LABELS: dict[str, str] = {
    "no_collective_decision": "未经集体决策",
    "no_public_tender": "未公开招投标",
    "below_market_rent": "低价出租",
    "over_term": "超期限",
    "over_authority": "超权限",
    "side_contract": "阴阳合同",
    "missing_clauses": "条款缺失",
    "harmful_terms": "条款损害国有（集体）利益",
    "stalled_performance": "履约停滞",
    "off_book_income": "收益未入账",
    "unlawful_guarantee": "违规担保",
    "informal_agreement": "口头约定/白条/未签章",
    "expiry_warning": "到期预警",
    "incomplete_document": "文件不完整/非协议",
    "possible_duplicate": "可能重复提交",
}

DISPOSITION_LABELS: dict[str, str] = {
    "void": "无效",
    "fixable": "可整改",
    "re-sign": "规范补签",
    "compliant": "合规",
}

RENT_PERIOD_LABELS: dict[str, str] = {"year": "每年", "quarter": "每季度", "month": "每月", "day": "每日", "once": "一次性"}

TENDER_LABELS: dict[str, str] = {
    "public_tender": "公开招标",
    "auction": "拍卖",
    "listing": "挂牌",
    "competitive": "竞争性谈判/磋商",
    "direct": "直接协商",
}

ROLE_LABELS: dict[str, str] = {"uploader": "上传员", "reviewer": "审查员", "admin": "管理员"}

ERROR_LABELS: dict[str, str] = {  # why a file could not be read, in a few words (ledger, queue)
    "file_not_found": "找不到文件", "empty_file": "空文件", "unsupported_format": "格式不支持",
    "corrupt_pdf": "PDF 已损坏", "encrypted_pdf": "PDF 已加密", "corrupt_docx": "Word 文件已损坏",
    "encrypted_docx": "Word 文件已加密", "legacy_doc": "旧版 Word 格式", "corrupt_image": "图片已损坏",
    "image_too_large": "图片过大", "too_many_pages": "页数过多", "text_decode_failed": "文字编码无法识别",
    "page_failed": "页面读取失败", "ocr_failed": "文字识别失败", "ocr_unavailable": "文字识别不可用",
    "no_text": "没有可识别的文字", "timeout": "处理超时", "memory_exceeded": "内存不足", "unreadable": "无法读取",
    "internal_error": "内部错误",
}

DOCUMENT_STATUS_LABELS: dict[str, str] = {
    "queued": "排队中",
    "processing": "识别中",
    "read": "已读取",
    "failed": "读取失败",
}

BATCH_STATUS_LABELS: dict[str, str] = {
    "queued": "排队中",
    "processing": "识别中",
    "checking": "审查规则运行中",
    "ready": "可审查",
    "failed": "失败",
}

REVIEW_STATUS_LABELS: dict[str, str] = {"pending": "待审查", "second_review": "待复核", "decided": "已决定",
                                        "resubmit": "需重新提交"}


def value_text(value: object) -> str:
    """A field value as a reviewer reads and edits it: nothing for none, 是/否 for booleans,
    whole numbers without a trailing ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def label(table: dict[str, str], key: str | None, default: str = "") -> str:
    if key is None:
        return default
    return table.get(key, key)


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def shown_name(name: str | None) -> str:
    """A file name as people are shown it: bidirectional overrides and isolates (a right-to-left
    override turns ``合同\\u202efdp.exe`` into what reads as ``合同exe.pdf``), other invisible
    format characters and control characters dropped, line breaks and tabs made spaces. The
    name as handed in stays in the record and the store."""
    import unicodedata

    out = []
    for ch in name or "":
        cat = unicodedata.category(ch)
        if ch in _BIDI or cat == "Cf":
            continue
        if cat in ("Cc", "Zl", "Zp"):
            if ch in "\n\r\t\v\f\u0085" or cat != "Cc":
                out.append(" ")
            continue
        out.append(ch)
    return " ".join("".join(out).split())
