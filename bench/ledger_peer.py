"""The floor for the ledger benchmark: a bare Python polars script that only scans the same CSV (or Parquet), joins the two
mappings (cost center -> unit from the org file's code ranges, account -> line item from the chart of
accounts) and sums by unit, line item and scenario. No checks, no reports."""
import sys, tomllib, polars as pl

csv_path, org_path, chart_path = sys.argv[1:4]
org = tomllib.load(open(org_path, "rb"))
units = []
for u in org.get("unit", []):
    for c in u.get("codes", []):
        lo, _, hi = c.partition("-")
        units.append((u["name"], int(lo), int(hi or lo)))
cc = pl.DataFrame([(n, code) for n, lo, hi in units for code in range(lo, hi + 1)], schema=["unit", "kustannuspaikka"], orient="row")
rows = [l.strip().split(",") for l in open(chart_path) if l[0].isdigit()]
acc = pl.DataFrame([(it, a) for a0, b0, it, *_ in rows for a in range(int(a0), int(b0) + 1)], schema=["item", "tili4"], orient="row")
if csv_path.endswith(".parquet"):
    scan = pl.scan_parquet(csv_path)
else:
    scan = pl.scan_csv(csv_path, separator=";", decimal_comma=True,
                       schema_overrides={"talousarvio": pl.Decimal(18, 2), "muutokset": pl.Decimal(18, 2), "toteuma": pl.Decimal(18, 2)})
out = (scan.with_columns((pl.col("tili").cast(pl.Utf8).str.slice(0, 4).cast(pl.Int64)).alias("tili4"))
       .join(cc.lazy(), on="kustannuspaikka", how="inner")
       .join(acc.lazy(), on="tili4", how="inner")
       .group_by(["vuosi", "unit", "item"])
       .agg([pl.col("talousarvio").sum(), pl.col("muutokset").sum(), pl.col("toteuma").sum(), pl.len().alias("rows")])
       .collect())
print(out.height, "groups")
