#!/usr/bin/python3
"""A manual check of what finance staff do with toteutumisvertailu.docx: copy its tables and paste them into
another document. Through LibreOffice's UNO API it selects each of the first tables' cell range, takes the
selection's transferable (what the clipboard carries) and inserts it into a new Writer document, then compares
every cell's text, the repeated header row, the column widths and the alignment, saves the result as DOCX and
ODT and reads it back. Not in CI (it needs LibreOffice); run by hand after changing report/docx.rs:

    soffice --headless --invisible --norestore --accept="socket,host=localhost,port=2002;urp;" &
    /usr/bin/python3 bench/docx_paste.py outputs/toteutumisvertailu.docx /tmp/paste   # python with uno

Results of the last run are in BENCHMARKS.md ("Word document: tables pasted").
"""
import os, sys, time, json, uno, unohelper
from com.sun.star.beans import PropertyValue

SRC = uno.systemPathToFileUrl(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "outputs/toteutumisvertailu.docx"))
OUT_DIR = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "/tmp/paste")
os.makedirs(OUT_DIR, exist_ok=True)
OUT_DOCX = uno.systemPathToFileUrl(os.path.join(OUT_DIR, "pasted.docx"))
OUT_ODT = uno.systemPathToFileUrl(os.path.join(OUT_DIR, "pasted.odt"))
N = 2  # tables to copy


def pv(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p


def connect():
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(30):
        try:
            return resolver.resolve(
                "uno:socket,host=localhost,port=2002;urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(1)
    raise RuntimeError("cannot connect")


ctx = connect()
smgr = ctx.ServiceManager
desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)


def tables_in_doc_order(doc):
    """Tables in document body order (getTextTables() index order is not guaranteed)."""
    res = []
    en = doc.getText().createEnumeration()
    while en.hasMoreElements():
        el = en.nextElement()
        if el.supportsService("com.sun.star.text.TextTable"):
            res.append(el)
    return res


def cell_paras(cell):
    out = []
    en = cell.getText().createEnumeration()
    while en.hasMoreElements():
        p = en.nextElement()
        if p.supportsService("com.sun.star.text.Paragraph"):
            out.append(p)
    return out


ADJ = {0: "LEFT", 1: "RIGHT", 2: "BLOCK", 3: "CENTER", 4: "STRETCH"}


def describe(t):
    d = {"name": t.getName(),
         "rows": t.getRows().getCount(),
         "cols": t.getColumns().getCount(),
         "RepeatHeadline": t.RepeatHeadline,
         "HeaderRowCount": t.HeaderRowCount,
         "TableColumnSeparators": [(s.Position, s.IsVisible) for s in (t.TableColumnSeparators or [])],
         "TableColumnRelativeSum": t.TableColumnRelativeSum,
         "Width": t.Width, "RelativeWidth": t.RelativeWidth, "HoriOrient": t.HoriOrient,
         "row_separators": [],
         "cells": {}, "adjust": {}, "bold": {}, "charheight": {}}
    rows = t.getRows()
    for i in range(rows.getCount()):
        r = rows.getByIndex(i)
        d["row_separators"].append([s.Position for s in (r.TableColumnSeparators or [])])
    for n in t.getCellNames():
        c = t.getCellByName(n)
        d["cells"][n] = c.getString()
        ps = cell_paras(c)
        d["adjust"][n] = [ADJ.get(p.ParaAdjust, p.ParaAdjust) for p in ps]
        # run-level (text portion) formatting; paragraph-level Char* reflects only para attrs/style
        runs_w, runs_h = [], []
        for p in ps:
            pe = p.createEnumeration()
            while pe.hasMoreElements():
                r = pe.nextElement()
                if r.TextPortionType == "Text" and r.getString():
                    runs_w.append(r.CharWeight); runs_h.append(r.CharHeight)
        d["bold"][n] = runs_w
        d["charheight"][n] = runs_h
    return d


def rel_widths(d):
    """Column widths as fraction of TableColumnRelativeSum, from separators."""
    s = d["TableColumnRelativeSum"]
    pos = [0] + [p for p, _ in d["TableColumnSeparators"]] + [s]
    return [round((b - a) / s, 4) for a, b in zip(pos, pos[1:])]


def compare(src, dst, label):
    print(f"--- compare {label}: src {src['name']} vs dst {dst['name']}")
    diffs = 0
    print(f"  rows {src['rows']} -> {dst['rows']}, cols {src['cols']} -> {dst['cols']}")
    sk, dk = set(src["cells"]), set(dst["cells"])
    if sk != dk:
        print("  CELL NAME SETS DIFFER: only src", sorted(sk - dk), "only dst", sorted(dk - sk)); diffs += 1
    n = 0
    for k in sorted(sk & dk, key=lambda x: (int(''.join(filter(str.isdigit, x))), x)):
        n += 1
        if src["cells"][k] != dst["cells"][k]:
            diffs += 1
            print(f"  TEXT DIFF {k}: {src['cells'][k]!r} -> {dst['cells'][k]!r}")
        if src["adjust"][k] != dst["adjust"][k]:
            diffs += 1
            print(f"  ADJUST DIFF {k}: {src['adjust'][k]} -> {dst['adjust'][k]}")
        if src["bold"][k] != dst["bold"][k]:
            diffs += 1
            print(f"  RUN WEIGHT DIFF {k}: {src['bold'][k]} -> {dst['bold'][k]}")
        if src["charheight"][k] != dst["charheight"][k]:
            diffs += 1
            print(f"  RUN CHARHEIGHT DIFF {k}: {src['charheight'][k]} -> {dst['charheight'][k]}")
    print(f"  cells compared: {n}")
    for key in ("RepeatHeadline", "HeaderRowCount"):
        ok = src[key] == dst[key]
        print(f"  {key}: {src[key]} -> {dst[key]} {'OK' if ok else 'DIFF'}")
        diffs += (not ok)
    rs, rd = rel_widths(src), rel_widths(dst)
    wok = len(rs) == len(rd) and all(abs(a - b) < 0.005 for a, b in zip(rs, rd))
    print(f"  rel widths src {rs}\n  rel widths dst {rd} {'OK' if wok else 'DIFF'}")
    print(f"  separators src {src['TableColumnSeparators']} sum {src['TableColumnRelativeSum']}")
    print(f"  separators dst {dst['TableColumnSeparators']} sum {dst['TableColumnRelativeSum']}")
    print(f"  Width {src['Width']} -> {dst['Width']}, HoriOrient {src['HoriOrient']} -> {dst['HoriOrient']}")
    diffs += (not wok)
    print(f"  => {diffs} difference(s)")
    return diffs


def dump(d, label):
    print(f"=== {label}: {d['name']} rows={d['rows']} cols={d['cols']} RepeatHeadline={d['RepeatHeadline']} "
          f"HeaderRowCount={d['HeaderRowCount']}")
    print(f"    separators={d['TableColumnSeparators']} relsum={d['TableColumnRelativeSum']} Width={d['Width']}")
    print(f"    row separators={d['row_separators']}")
    for n, v in d["cells"].items():
        print(f"    {n}: {v!r} adj={d['adjust'][n]} runs weight={d['bold'][n]} height={d['charheight'][n]}")


# ---------------------------------------------------------------- load source
src = desktop.loadComponentFromURL(SRC, "_blank", 0, (pv("Hidden", False),))
all_tables = src.getTextTables()
print("source getTextTables().getCount() =", all_tables.getCount(),
      "names:", list(all_tables.getElementNames()))
src_tables = tables_in_doc_order(src)
print("tables in body order:", [t.getName() for t in src_tables])
src_desc = [describe(t) for t in src_tables[:N]]
for i, d in enumerate(src_desc):
    dump(d, f"SOURCE table {i+1}")

src_ctrl = src.getCurrentController()

# ---------------------------------------------------------------- new doc
dst = desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, ())
dst_ctrl = dst.getCurrentController()
dtext = dst.getText()
dtext.setString("Liitetaulukko: talousarvion toteutuminen (liitetty)")


def goto_end_new_para(label):
    vc = dst_ctrl.getViewCursor()
    end = dtext.getEnd()
    dtext.insertControlCharacter(end, 0, False)  # PARAGRAPH_BREAK
    dtext.insertString(dtext.getEnd(), label, False)
    dtext.insertControlCharacter(dtext.getEnd(), 0, False)
    vc.gotoRange(dtext.getEnd(), False)


routes = []
for i, t in enumerate(src_tables[:N]):
    route = None
    goto_end_new_para(f"Taulukko {i+1} (liitetty):")
    # --- Route A: controller.select(table) + getTransferable + insertTransferable
    try:
        ok = src_ctrl.select(t)
        sel = src_ctrl.getSelection()
        selinfo = sel.getImplementationName() if hasattr(sel, "getImplementationName") else type(sel)
        print(f"table {i+1}: select(table) returned {ok}; selection impl = {selinfo}")
        tr = src_ctrl.getTransferable()
        flavors = [f.MimeType for f in tr.getTransferDataFlavors()] if tr else None
        print(f"table {i+1}: transferable flavors: {flavors[:6] if flavors else flavors} ... ({len(flavors) if flavors else 0})")
        before = dst.getTextTables().getCount()
        dst_ctrl.insertTransferable(tr)
        after = dst.getTextTables().getCount()
        print(f"table {i+1}: dst tables {before} -> {after}")
        if after == before + 1:
            route = "A: controller.select(XTextTable) + getTransferable + insertTransferable"
    except Exception as e:
        print(f"table {i+1}: route A failed: {type(e).__name__}: {e}")
    if route is None:
        # --- Route B: select cell range
        try:
            names = t.getCellNames()
            rng = t.getCellRangeByName(f"{names[0]}:{names[-1]}")
            ok = src_ctrl.select(rng)
            tr = src_ctrl.getTransferable()
            before = dst.getTextTables().getCount()
            dst_ctrl.getViewCursor().gotoRange(dtext.getEnd(), False)
            dst_ctrl.insertTransferable(tr)
            after = dst.getTextTables().getCount()
            print(f"table {i+1}: route B select(range) {ok}; dst tables {before} -> {after}")
            if after == before + 1:
                route = "B: controller.select(cell range) + getTransferable + insertTransferable"
        except Exception as e:
            print(f"table {i+1}: route B failed: {type(e).__name__}: {e}")
    if route is None:
        # --- Route C: dispatcher
        try:
            vc = src_ctrl.getViewCursor()
            vc.gotoRange(t.getCellByName("A1").getText().getStart(), False)
            dispatcher.executeDispatch(src_ctrl.getFrame(), ".uno:SelectTable", "", 0, ())
            dispatcher.executeDispatch(src_ctrl.getFrame(), ".uno:Copy", "", 0, ())
            before = dst.getTextTables().getCount()
            dst_ctrl.getViewCursor().gotoRange(dtext.getEnd(), False)
            dispatcher.executeDispatch(dst_ctrl.getFrame(), ".uno:Paste", "", 0, ())
            after = dst.getTextTables().getCount()
            print(f"table {i+1}: route C dispatcher; dst tables {before} -> {after}")
            if after == before + 1:
                route = "C: dispatcher .uno:SelectTable/.uno:Copy/.uno:Paste"
        except Exception as e:
            print(f"table {i+1}: route C failed: {type(e).__name__}: {e}")
    routes.append(route)
    print(f"table {i+1}: ROUTE USED = {route}")

dtext.insertString(dtext.getEnd(), "Loppukappale.", False)

dst_tables = tables_in_doc_order(dst)
print("\nDEST table count:", dst.getTextTables().getCount(), "(expected", N, ")")
dst_desc = [describe(t) for t in dst_tables]
total = 0
for i in range(min(N, len(dst_desc))):
    total += compare(src_desc[i], dst_desc[i], f"pasted table {i+1}")

# print document paragraph/table order of dest
print("\nDEST body order:")
en = dtext.createEnumeration()
while en.hasMoreElements():
    el = en.nextElement()
    if el.supportsService("com.sun.star.text.TextTable"):
        print("   [TABLE]", el.getName())
    else:
        print("   [PARA]", repr(el.getString()))

# ---------------------------------------------------------------- save
dst.storeToURL(OUT_DOCX, (pv("FilterName", "MS Word 2007 XML"), pv("Overwrite", True)))
dst.storeToURL(OUT_ODT, (pv("FilterName", "writer8"), pv("Overwrite", True)))
print("\nsaved pasted.docx and pasted.odt")
dst.close(True)
src.close(True)

# ---------------------------------------------------------------- round trip
for url in (OUT_DOCX, OUT_ODT):
    re = desktop.loadComponentFromURL(url, "_blank", 0, (pv("Hidden", True),))
    rt = tables_in_doc_order(re)
    print(f"\nREOPEN {url}: getTextTables().getCount() = {re.getTextTables().getCount()}")
    for i in range(min(N, len(rt))):
        total_rt = compare(src_desc[i], describe(rt[i]), f"round-trip {url.rsplit('/',1)[1]} table {i+1}")
    re.close(True)

print("\nroutes:", routes)
print("total differences pasted-vs-source:", total)

# ---------------------------------------------------------------- info only: dispatcher route (clipboard)
try:
    src = desktop.loadComponentFromURL(SRC, "_blank", 0, ())
    sc = src.getCurrentController()
    t = tables_in_doc_order(src)[0]
    sc.getViewCursor().gotoRange(t.getCellByName("B2").getText().getStart(), False)
    dispatcher.executeDispatch(sc.getFrame(), ".uno:SelectTable", "", 0, ())
    dispatcher.executeDispatch(sc.getFrame(), ".uno:Copy", "", 0, ())
    d2 = desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, ())
    d2.getText().setString("Dispatcher test")
    d2.getText().insertControlCharacter(d2.getText().getEnd(), 0, False)
    d2.getCurrentController().getViewCursor().gotoRange(d2.getText().getEnd(), False)
    dispatcher.executeDispatch(d2.getCurrentController().getFrame(), ".uno:Paste", "", 0, ())
    dt = tables_in_doc_order(d2)
    print("\nINFO dispatcher route (.uno:SelectTable/.uno:Copy/.uno:Paste): tables pasted =", len(dt))
    if dt:
        compare(src_desc[0], describe(dt[0]), "dispatcher-pasted table 1")
    d2.close(True); src.close(True)
except Exception as e:
    print(f"INFO dispatcher route failed: {type(e).__name__}: {e}")
