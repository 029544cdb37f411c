"""The ledger job done the way an analyst does it today: pandas reads the export, mapping tables (cost
center -> unit from the org file's code ranges, account -> line item from the chart of accounts, by the first
four digits) are merged in, the amounts are summed by unit and line item, the budget after changes and the
variance are computed, and the table is written to a workbook with openpyxl. Amounts are floats, as in such
notebooks (poikkeama sums exactly). No checks of sums or rollups.

    python3 bench/peer/ledger_pandas.py paakirja.csv org.toml chart.csv out.xlsx   # pip install pandas openpyxl
"""
import sys, tomllib
import pandas as pd

csv_path, org_path, chart_path, out_path = sys.argv[1:5]
org = tomllib.load(open(org_path, "rb"))
cc_rows = []
for u in org.get("unit", []):
    for c in u.get("codes", []):
        lo, _, hi = c.partition("-")
        cc_rows += [(int(code), u["name"]) for code in range(int(lo), int(hi or lo) + 1)]
cost_centers = pd.DataFrame(cc_rows, columns=["kustannuspaikka", "yksikko"])
chart = pd.read_csv(chart_path)
acc_rows = [(a, r.item) for r in chart.itertuples() for a in range(int(r._1), int(r.to) + 1)] \
    if "_1" in chart.columns else [(a, r.item) for r in chart.itertuples() for a in range(int(r[1]), int(r[2]) + 1)]
accounts = pd.DataFrame(acc_rows, columns=["tili4", "rivi"])

ledger = pd.read_csv(csv_path, sep=";", decimal=",")
ledger["tili4"] = ledger["tili"].astype(str).str[:4].astype(int)
mapped = ledger.merge(cost_centers, on="kustannuspaikka", how="inner").merge(accounts, on="tili4", how="inner")
table = (mapped.groupby(["vuosi", "yksikko", "rivi"], as_index=False)[["talousarvio", "muutokset", "toteuma"]]
         .sum())
table["muutettu"] = table["talousarvio"] + table["muutokset"]
table["poikkeama"] = table["toteuma"] - table["muutettu"]
with pd.ExcelWriter(out_path, engine="openpyxl") as xw:
    table.to_excel(xw, sheet_name="Poikkeamat", index=False)
print(len(table), "rows written")
