"""Writes the bad-input corpus (committed; CI does not run this). Each file is one hostile or unlucky case;
tests/bad_inputs.rs says what poikkeama must answer to each.

    python3 make.py   # needs openpyxl
"""
import io, os, zipfile, datetime
import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "..", "..", "inputs", "kaupunginkansliakeskus_tp2024.xlsx")


def path(name):
    return os.path.join(HERE, name)


def table(ws, rows, start=1):
    ws.cell(start, 1, "Kaupunginkansliakeskus")
    for c, h in enumerate(["", "TA 2024", "TA-muutokset", "TA 2024 muutosten jälkeen", "TP 2024", "Poikkeama"], 1):
        ws.cell(start + 1, c, h)
    for r, row in enumerate(rows, start + 2):
        for c, v in enumerate(row, 1):
            ws.cell(r, c, v)


def save(wb, name):
    wb.save(path(name))


# A single cell at the sheet's last cell: a used range of 17 billion cells.
wb = openpyxl.Workbook(); ws = wb.active
table(ws, [["Toimintatuotot", 100, None, 100, 90, -10]])
ws["XFD1048576"] = 1
save(wb, "far_cell.xlsx")

# One cell at Z1048576: 27 million cells.
wb = openpyxl.Workbook(); ws = wb.active
table(ws, [["Toimintatuotot", 100, None, 100, 90, -10]])
ws["Z1048576"] = "x"
save(wb, "far_row.xlsx")

# Dates and booleans where figures should be.
wb = openpyxl.Workbook(); ws = wb.active
table(ws, [["Toimintatuotot", datetime.date(2024, 3, 1), None, 100, True, -10]])
save(wb, "dates_and_booleans.xlsx")

# Formulas without stored results (openpyxl does not calculate).
wb = openpyxl.Workbook(); ws = wb.active
table(ws, [["Toimintatuotot", 100, None, "=B3", 90, "=E3-D3"]])
save(wb, "formulas_without_results.xlsx")

# No table at all.
wb = openpyxl.Workbook(); ws = wb.active
ws["A1"] = "Muistio"; ws["A2"] = "Tässä tiedostossa ei ole taulukkoa, vain tekstiä."
save(wb, "no_table.xlsx")

# Labels no town uses.
wb = openpyxl.Workbook(); ws = wb.active
table(ws, [["Toimintatuotot", 100, None, 100, 90, -10], ["Kahvikassan saldo", 5, None, 5, 6, 1]])
save(wb, "unknown_labels.xlsx")

# The same table twice with a different figure.
wb = openpyxl.Workbook(); ws = wb.active
table(ws, [["Toimintatuotot", 100, None, 100, 90, -10]])
ws2 = wb.create_sheet("Kopio")
table(ws2, [["Toimintatuotot", 100, None, 100, 95, -5]])
save(wb, "duplicate_tables.xlsx")

# Figures beyond any budget: 5e28 (within the decimal range) and 1e308.
wb = openpyxl.Workbook(); ws = wb.active
table(ws, [["Toimintatuotot", 5e28, None, 5e28, 90, -10]])
save(wb, "huge_figure.xlsx")
wb = openpyxl.Workbook(); ws = wb.active
table(ws, [["Toimintatuotot", 1e308, None, 100, 90, -10]])
save(wb, "float_max_figure.xlsx")

# A valid workbook whose shared strings declare two billion entries.
src = zipfile.ZipFile(SEED)
out = io.BytesIO()
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for item in src.infolist():
        data = src.read(item.filename)
        if item.filename == "xl/sharedStrings.xml":
            s = data.decode()
            import re
            s = re.sub(r'count="\d+"', 'count="2000000000"', s)
            s = re.sub(r'uniqueCount="\d+"', 'uniqueCount="2000000000"', s)
            data = s.encode()
        z.writestr(item, data)
open(path("shared_strings_2e9.xlsx"), "wb").write(out.getvalue())

# A zip bomb: a valid workbook with a 600 MB part of zeros (about 600 KB packed).
src = zipfile.ZipFile(SEED)
out = io.BytesIO()
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for item in src.infolist():
        z.writestr(item, src.read(item.filename))
    with z.open("xl/media/image1.bin", "w", force_zip64=True) as f:
        block = b"\0" * (1 << 20)
        for _ in range(600):
            f.write(block)
open(path("zip_bomb.xlsx"), "wb").write(out.getvalue())

# An Excel 97 compound file whose directory's sector chain loops (sector 1 points at itself): calamine follows
# chains until their end marker, so the directory grew until memory ran out. Header, sector table (sector 0),
# directory (sector 1).
import struct
ENDOFCHAIN, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
head = bytearray(512)
head[:8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
struct.pack_into("<HHHH", head, 24, 0x3E, 3, 0xFFFE, 9)
struct.pack_into("<H", head, 32, 6)
struct.pack_into("<IIIIIIII", head, 44, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
struct.pack_into("<109I", head, 76, 0, *([FREE] * 108))
fat = struct.pack("<128I", FATSECT, 1, *([FREE] * 126))
directory = bytearray(512)
directory[:20] = "Root Entry".encode("utf-16-le")
struct.pack_into("<I", directory, 116, ENDOFCHAIN)
open(path("cfb_directory_loop.xls"), "wb").write(bytes(head) + fat + bytes(directory))

# Not a workbook: an HTML page saved with an .xls name; a truncated .xlsx; an empty file.
open(path("html_page.xls"), "w").write("<!DOCTYPE html><html><body><table><tr><td>TA 2024</td></tr></table></body></html>")
seed = open(SEED, "rb").read()
open(path("truncated.xlsx"), "wb").write(seed[: len(seed) // 2])
open(path("empty.xlsx"), "wb").write(b"")

# Text saved by an old Windows tool (Windows-1252), with a table.
text = ("KAUPUNGINKANSLIAKESKUS\n\n\tTALOUSARVIO 2024\tTALOUSARVIOMUUTOKSET\tTALOUSARVIO 2024 MUUTOSTEN JÄLKEEN"
        "\tTILINPÄÄTÖS 2024\tPOIKKEAMA\nToimintatuotot\t300 500\t\t300 500\t281 829\t-18 671\n"
        "Henkilöstökulut\t-1 935 039\t\t-1 935 039\t-1 774 883\t160 157\n")
open(path("windows_1252.txt"), "wb").write(text.encode("cp1252"))

# A PDF that is no PDF inside, and a ledger with a bad amount.
open(path("not_really.pdf"), "wb").write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
open(path("ledger_bad_amount.csv"), "w").write("vuosi;kustannuspaikka;tili;talousarvio;toteuma\n2024;1100;4300;-100,00;-90\n2024;1100;4300;abc;-1\n")

# The second torture run's minimal inputs (issue 22), each with its answer in tests/bad_inputs.rs.
# A row label with a terminal escape sequence and a bell: named, never acted on.
open(path("control_chars.txt"), "w").write(
    "KAUPUNGINKANSLIAKESKUS\n\n\tTALOUSARVIO 2024\tTILINPÄÄTÖS 2024\nToimintatuotot\t300 500\t281 829\n"
    "Kahvi\x1b[31m kassa\x07\t5\t5\n")
# A text total printed with 28 decimals: more decimals than money has.
open(path("decimals_28.txt"), "w").write(
    "KAUPUNGINKANSLIAKESKUS\n\n\tTALOUSARVIO 2024\tTILINPÄÄTÖS 2024\n"
    "Toimintatuotot\t300 500\t0,1234567890123456789012345678\n")
# Two ledger rows of one cost center and account whose sum passes the exact decimal range.
big = "79228162514264337593543950335"
open(path("ledger_overflow.csv"), "w").write(
    f"vuosi;kustannuspaikka;tili;talousarvio;toteuma\n2024;1100;4300;{big};1\n2024;1100;4300;{big};1\n")
# Found by the ledger fuzz target: the decimal maximum on two accounts of one cost center (the file's total
# passed the exact range and panicked).
open(path("ledger_decimal_max_two_accounts.csv"), "w").write(
    f"vuosi;kustannuspaikka;tili;talousarvio;toteuma\n2024;1100;=300;{big};9\n2024;1100;4300;{big};1\n")
# A quote opened and never closed: the lines after it swallowed into one cell, said in one line.
open(path("ledger_stray_quote.csv"), "w").write(
    "vuosi;kustannuspaikka;tili;talousarvio;toteuma\n2024;1100;4300;\"-100,00;-90\n2024;1100;4300;-5;-1\n"
    "2024;1100;4300;-5;-1\n")
