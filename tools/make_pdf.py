#!/usr/bin/env python3
"""Turns a text file into a simple multi-page PDF (standard library only).

Paragraphs (separated by blank lines) are word-wrapped in 11 pt Helvetica; every page gets a
running header and a "Page N of M" footer, so the PDF reader's header/footer removal, paragraph
joining and hyphen repair can be tested on files made from the project's own text.

  tools/make_pdf.py input.txt output.pdf [--header TEXT] [--title TEXT] [--date 2024-05-01]
                    [--hyphenate] [--lines-per-page N] [--font-size PT] [--columns 1|2]

--hyphenate breaks long words at line ends with a hyphen ("espio-" / "nage") instead of moving
them to the next line. --columns 2 sets the text in two columns per page (left column first), to
test reading order. Text is encoded as WinAnsi (Windows-1252); other characters become '?'.
"""
import argparse
import sys

# Helvetica advance widths (1/1000 em) for ASCII 32..126, from the standard AFM metrics.
_WIDTHS = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  # space - /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556,  # 0-9
    278, 278, 584, 584, 584, 556, 1015,  # : ; < = > ? @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
    611, 722, 667, 944, 667, 667, 611,  # A-Z
    278, 278, 278, 469, 556, 333,  # [ \ ] ^ _ `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
    278, 556, 500, 722, 500, 500, 500,  # a-z
    334, 260, 334, 584,  # { | } ~
]

PAGE_W, PAGE_H = 612, 792
MARGIN_X, TOP_Y, BOTTOM_Y = 72, 720, 72


def text_width(s, size):
    total = 0
    for ch in s:
        o = ord(ch)
        total += _WIDTHS[o - 32] if 32 <= o <= 126 else 556
    return total * size / 1000.0


def wrap(paragraph, width, size, hyphenate):
    words = paragraph.split()
    lines, line = [], ""
    for word in words:
        candidate = word if not line else line + " " + word
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if hyphenate and len(word) >= 8 and word.isalpha():
            # Longest prefix (>= 3 letters, leaving >= 3) that fits with a hyphen.
            best = 0
            for cut in range(3, len(word) - 2):
                head = (line + " " if line else "") + word[:cut] + "-"
                if text_width(head, size) <= width:
                    best = cut
            if best:
                lines.append((line + " " if line else "") + word[:best] + "-")
                line = word[best:]
                continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def pdf_string(s):
    data = s.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for b in data:
        if b in (0x28, 0x29, 0x5C):
            out += b"\\" + bytes([b])
        elif b < 32 or b > 126:
            out += b"\\%03o" % b
        else:
            out.append(b)
    out += b")"
    return bytes(out)


GUTTER = 24


def build(paragraphs, header, title, date, hyphenate, lines_per_page, size, columns=1):
    leading = size * 1.35
    width = (PAGE_W - 2 * MARGIN_X - (columns - 1) * GUTTER) / columns
    max_lines = lines_per_page or int((TOP_Y - BOTTOM_Y) // leading)
    # Layout: a list of columns of lines ("" = paragraph gap); every `columns` columns make a page.
    cols, current, used = [], [], 0
    for para in paragraphs:
        lines = wrap(para, width, size, hyphenate)
        for line in lines:
            if used >= max_lines:
                cols.append(current)
                current, used = [], 0
            current.append(line)
            used += 1
        if used < max_lines and current:
            current.append("")  # paragraph gap
            used += 1
    if current:
        cols.append(current)
    pages = [cols[i:i + columns] for i in range(0, len(cols), columns)]

    objects = []  # bytes of objects 1..n

    def add(obj):
        objects.append(obj)
        return len(objects)

    font_id = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = add(b"")  # placeholder
    page_ids = []
    total = len(pages)
    for index, page in enumerate(pages):
        ops = [b"BT", b"/F1 %d Tf" % 9]
        ops.append(b"1 0 0 1 %d %d Tm" % (MARGIN_X, PAGE_H - 40))
        ops.append(pdf_string(header) + b" Tj")
        footer = "Page %d of %d" % (index + 1, total)
        ops.append(b"1 0 0 1 %d %d Tm" % (int(PAGE_W / 2 - text_width(footer, 9) / 2), 40))
        ops.append(pdf_string(footer) + b" Tj")
        ops.append(b"/F1 %s Tf" % (b"%g" % size))
        for c, column in enumerate(page):
            x = MARGIN_X + c * (width + GUTTER)
            y = TOP_Y
            for line in column:
                if line:
                    ops.append(b"1 0 0 1 %s %s Tm" % (b"%.2f" % x, b"%.2f" % y))
                    ops.append(pdf_string(line) + b" Tj")
                y -= leading
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content_id = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                            % (pages_id, PAGE_W, PAGE_H, font_id, content_id)))
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    catalog_id = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = b"<< /Producer (prose2stix make_pdf.py)"
    if title:
        info += b" /Title " + pdf_string(title)
    if date:
        stamp = date.replace("-", "")
        info += b" /CreationDate (D:%s120000Z)" % stamp.encode("ascii")
    info += b" >>"
    info_id = add(info)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog_id, info_id, xref)
    return bytes(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--header", default="prose2stix sample document")
    ap.add_argument("--title", default="")
    ap.add_argument("--date", default="")
    ap.add_argument("--hyphenate", action="store_true")
    ap.add_argument("--lines-per-page", type=int, default=0)
    ap.add_argument("--font-size", type=float, default=11)
    ap.add_argument("--columns", type=int, choices=(1, 2), default=1)
    args = ap.parse_args(argv)
    with open(args.input, encoding="utf-8") as f:
        text = f.read()
    paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    data = build(paragraphs, args.header, args.title, args.date, args.hyphenate, args.lines_per_page,
                 args.font_size, args.columns)
    with open(args.output, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
