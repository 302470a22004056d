"""台账: the ledger (协议管理台账) of the agreements the viewer may see, previewed and downloaded,
with the files that could not be read listed apart, and the per-unit 整改清单."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from contract_review.labels import DISPOSITION_LABELS, REVIEW_STATUS_LABELS, TYPE_LABELS
from contract_review.ledger import FAILED_COLUMNS, LEDGER_COLUMNS, ledger_csv, ledger_rows, ledger_xlsx, rectification_rows, rectification_xlsx
from review_app.common import all_label, get_store, require_login

store = get_store()
viewer = require_login()

st.title("协议管理台账")
st.caption("每份协议一行：签订时间、资产方、合作方、履约期限、标的资产、面积、收费标准、合同总额、收益上缴、履约情况，"
           "以及审查发现、机器建议、处理决定和整改要求。审查员更正过的字段以更正值为准。Excel 中日期和金额可直接计算，"
           "收益上缴的依据在单元格批注中，未能读取的文件单列一页，按 A4 横向打印。")

units = {u["id"]: u["name"] for u in store.units(viewer)}
with st.container(border=True):
    cols = st.columns(4 if viewer.sees_all_units else 3)
    i = 0
    unit_id = None
    if viewer.sees_all_units:
        unit_id = cols[0].selectbox("单位", [None, *units], format_func=all_label(units), key="ledger_unit",
                                    persist_state="session")
        i = 1
    agreement_type = cols[i].selectbox("协议类型", [None, *TYPE_LABELS], format_func=all_label(TYPE_LABELS),
                                       key="ledger_type", persist_state="session")
    status = cols[i + 1].selectbox("状态", [None, *REVIEW_STATUS_LABELS], format_func=all_label(REVIEW_STATUS_LABELS),
                                   key="ledger_status", persist_state="session")
    disposition = cols[i + 2].selectbox("机器建议", [None, *DISPOSITION_LABELS],
                                        format_func=all_label(DISPOSITION_LABELS), key="ledger_disposition",
                                        persist_state="session")

filters = {k: v for k, v in {"unit_id": unit_id, "agreement_type": agreement_type, "status": status,
                             "disposition": disposition}.items() if v is not None}
with st.spinner("正在生成台账…"):
    rows = ledger_rows(store, viewer, **filters)

scope = units.get(unit_id) if unit_id is not None else (viewer.unit_name if not viewer.sees_all_units else "全部单位")
stamp = datetime.now().strftime("%Y%m%d")
read = [r for r in rows if not r.get("_failed")]
failed = [r for r in rows if r.get("_failed")]
to_fix = sum(len(items) for items in rectification_rows(rows).values())
c1, c2, c3, c4 = st.columns([1, 1, 1, 2], vertical_alignment="center")
c1.download_button("下载 Excel（xlsx）", data=ledger_xlsx(rows, title=f"协议管理台账（{scope}）"),
                   file_name=f"协议管理台账_{scope}_{stamp}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="ledger_download_xlsx", icon=":material/download:", type="primary", disabled=not rows)
c2.download_button("下载 CSV", data=ledger_csv(rows), file_name=f"协议管理台账_{scope}_{stamp}.csv", mime="text/csv",
                   key="ledger_download_csv", icon=":material/download:", disabled=not rows)
c3.download_button("下载整改清单", data=rectification_xlsx(rows), file_name=f"整改清单_{scope}_{stamp}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="ledger_download_rectification", icon=":material/assignment:", disabled=not to_fix,
                   help="按单位分页：决定为无效、可整改或规范补签的协议，及其整改措施、时限和责任人")
c4.caption(f"共 {len(read)} 份协议（{scope}）" + (f"，另有 {len(failed)} 个文件未能读取" if failed else "")
           + f"；需整改 {to_fix} 份")

if not rows:
    st.info("没有符合条件的协议。")
else:
    st.dataframe(pd.DataFrame(read, columns=list(LEDGER_COLUMNS)), hide_index=True, width="stretch", height=620,
                 key="ledger_table",
                 column_config={"风险分": st.column_config.NumberColumn(format="%.2f"),
                                **{c: st.column_config.NumberColumn(format="localized")
                                   for c in ("面积（㎡）", "收费标准（元）", "年收费（元）", "合同总额（元）")},
                                **{c: st.column_config.DateColumn(format="YYYY-MM-DD")
                                   for c in ("签订时间", "履约期限（起）", "履约期限（止）", "整改时限", "决定日期")}})
    if failed:
        st.subheader("未能读取的文件")
        st.caption("这些文件需要单位重新扫描或提交，未列入台账。")
        st.dataframe(pd.DataFrame(failed, columns=[c.name for c in FAILED_COLUMNS]).assign(
                         序号=range(1, len(failed) + 1)),
                     hide_index=True, width="stretch", key="ledger_failed_table")
