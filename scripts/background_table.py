#!/usr/bin/env python3
"""Writes reprint's bundled background word-frequency table for one language.

    python3 -m venv /tmp/bg-venv && /tmp/bg-venv/bin/pip install wordfreq==3.1.1
    /tmp/bg-venv/bin/python scripts/background_table.py en 50000 > data/background/en.tsv
    zstd -19 --rm -f data/background/en.tsv      # -> data/background/en.tsv.zst

Source: the `wordfreq` package (Robyn Speer et al., https://github.com/rspeer/wordfreq),
word list `best`, whose data is licensed CC BY-SA 4.0 (see data/background/README.md).

Output: one line per word, most frequent first: `word<TAB>q`, where q is the word's
unigram probability as a quantised negative log10, in hundredths:
q = round(-100 * log10(p)), so p = 10^(-q/100). The words are wordfreq's own tokens
(lower-cased); reprint re-tokenizes each entry with its own tokenizer when it loads the
table and keeps entries that are one reprint token (src/background.rs).
"""
import math
import sys
from importlib.metadata import version

import wordfreq


def main():
    lang = sys.argv[1] if len(sys.argv) > 1 else "en"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
    out = sys.stdout
    out.write(f"#reprint-background\tlang={lang}\tsource=wordfreq-{version('wordfreq')}"
              f"\twordlist=best\twords={n}\n")
    for w in wordfreq.top_n_list(lang, n, wordlist="best"):
        if "\t" in w or "\n" in w:
            continue
        p = wordfreq.word_frequency(w, lang, wordlist="best")
        if p <= 0:
            continue
        out.write(f"{w}\t{round(-100 * math.log10(p))}\n")


if __name__ == "__main__":
    main()
