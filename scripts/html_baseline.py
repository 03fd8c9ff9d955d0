#!/usr/bin/env python3
"""Other readers of saved pages, answering as `aes-search clean FILE --json` does, so that the
realpages_dev scorer compares them with aes-search in one run (issue 22):

    python3 ../shared/data/realpages_dev/score.py "PYTHON scripts/html_baseline.py trafilatura" --input html
    python3 ../shared/data/realpages_dev/score.py "PYTHON scripts/html_baseline.py readability" --input html

trafilatura: `extract` with metadata (its text lines, title, date, site name). readability:
readability-lxml's `Document` (the article's HTML, one line per block; its title; it reads no
date or source). PYTHON is one that has the reader installed (`pip install trafilatura
readability-lxml`). Pages are passed as bytes: each reader decodes them itself.
"""
import json
import sys


def paths(args):
    """FILE: the first argument after `clean` that is not an option or an option's value."""
    rest, i = args[1:], 0
    while i < len(rest):
        if rest[i] in ("--index", "--corpus"):
            i += 2
            continue
        if not rest[i].startswith("--"):
            return rest[i]
        i += 1
    sys.exit("usage: html_baseline.py trafilatura|readability clean FILE --json")


def trafilatura_reader(page):
    import trafilatura

    out = trafilatura.extract(page, with_metadata=True, output_format="json")
    doc = json.loads(out) if out else {}
    lines = (doc.get("text") or "").split("\n")
    return {
        "title": doc.get("title"),
        "date": doc.get("date"),
        "source": doc.get("sitename") or doc.get("source-hostname"),
        "paragraphs": [l.strip() for l in lines if l.strip()],
    }


# The block elements whose text is a line of readability's summary.
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "td",
          "th", "dd", "dt", "figcaption", "section", "article", "table", "tr", "ul", "ol", "br"}


def readability_reader(page):
    import lxml.html
    from readability import Document

    doc = Document(page)
    root = lxml.html.fromstring(doc.summary(html_partial=True))
    # A line break around each block, then the text: one line per block.
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in BLOCKS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    lines = root.text_content().split("\n")
    return {
        "title": doc.short_title() or None,
        "date": None,
        "source": None,
        "paragraphs": [" ".join(l.split()) for l in lines if l.strip()],
    }


def main():
    if len(sys.argv) < 3 or sys.argv[2] != "clean":
        sys.exit("usage: html_baseline.py trafilatura|readability clean FILE --json")
    reader = {"trafilatura": trafilatura_reader, "readability": readability_reader}[sys.argv[1]]
    with open(paths(sys.argv[2:]), "rb") as f:
        out = reader(f.read())
    out["dropped"] = []
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
