"""PIAF questions with one typo each, to judge how typos are forgiven.

    python3 benches/piaf_typos.py > /tmp/piaf_typos.jsonl
    aes-search eval --index INDEX /tmp/piaf_typos.jsonl

In each question, one word of 5 letters or more gets one edit (a letter replaced, dropped,
added, or two letters swapped) away from its ends; deterministic for the seed. The relevant
passages stay those of the question. Reads ../shared/data/piaf/queries.jsonl.
"""

import json
import random
import sys
from pathlib import Path

QUERIES = Path(__file__).resolve().parents[2] / "shared/data/piaf/queries.jsonl"
LETTERS = "abcdefghijklmnopqrstuvwxyzéèàç"


def with_typo(word, rng):
    at = rng.randrange(1, len(word) - 1)
    edit = rng.choice(["replace", "drop", "add", "swap"])
    if edit == "replace":
        return word[:at] + rng.choice(LETTERS) + word[at + 1 :]
    if edit == "drop":
        return word[:at] + word[at + 1 :]
    if edit == "add":
        return word[:at] + rng.choice(LETTERS) + word[at:]
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def main():
    if not QUERIES.is_file():
        sys.exit(f"skipped: {QUERIES} is absent (../shared/data beside the project)")
    rng = random.Random(20261125)
    for line in QUERIES.open(encoding="utf-8"):
        question = json.loads(line)
        words = question["query"].split()
        long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if not long_words:
            continue
        i = rng.choice(long_words)
        typed = with_typo(words[i], rng)
        if typed == words[i]:
            continue
        question["typo"] = [words[i], typed]
        words[i] = typed
        question["query"] = " ".join(words)
        sys.stdout.write(json.dumps(question, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
