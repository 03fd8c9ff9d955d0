"""The news development set as passages for engines that do not clean pages (../shared/peers).

    python3 scripts/aes_dev_passages.py BIN OUT_DIR

Indexes ../shared/data/aes_dev/articles with BIN, exports its passages (ids ARTICLE-PASSAGE),
and turns the graded judgments (a file and a substring of a paragraph) into the ids of the
passages that hold them: OUT_DIR/passages.jsonl and OUT_DIR/queries.jsonl, as run_all.sh and
`aes-search eval` read them. The furniture-only queries, with no relevant passage, are left out.
Reads the set where it is; writes nothing into the repository.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

SET = Path(__file__).resolve().parents[2] / "shared/data/aes_dev"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, out = sys.argv[1], Path(sys.argv[2])
    if not SET.is_dir():
        sys.exit(f"aes_dev_passages: no development set at {SET}")
    spec = importlib.util.spec_from_file_location("score", SET / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    out.mkdir(parents=True, exist_ok=True)
    index = out / "articles-index"
    subprocess.run([binary, "index", str(SET / "articles"), "--index", str(index), "-q"], check=False)
    export = lambda *flags: subprocess.run(
        [binary, "export", "--index", str(index), *flags], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    files = {a["id"]: os.path.basename(a["path"]) for a in map(json.loads, export())}
    passages = []
    with open(out / "passages.jsonl", "w", encoding="utf-8") as f:
        for p in map(json.loads, export("--passages")):
            pid = f"{p['id']}-{p['passage']}"
            passages.append((pid, files[p["id"]], score.norm(p["text"])))
            record = {"id": pid, "title": p.get("title") or "", "text": p["text"]}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    with open(out / "queries.jsonl", "w", encoding="utf-8") as f:
        for q in map(json.loads, open(SET / "queries.jsonl", encoding="utf-8")):
            if not q["relevant"]:
                continue
            wanted = [(r["file"], score.norm(r["passage_contains"])) for r in q["relevant"]]
            relevant = sorted(
                {pid for pid, file, text in passages for wf, ws in wanted if file == wf and ws in text}
            )
            f.write(json.dumps({"qid": q["qid"], "query": q["query"], "relevant": relevant}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
