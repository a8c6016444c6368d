"""Train the relevance decision: a logistic regression over the features in fit.py, fitted on
the corpus's training writers and the team's own labelled sets (data/evaluation.toml and the
four older held-out sets, all tuned on long ago), never on held-out writers or the real
messages. Writes outreach_coach/grader/resources/relevance_model.json.

Run: python tools/train_grader.py            (write the weights)
     python tools/train_grader.py --check    (fail when retraining gives other weights)
     python tools/train_grader.py --cv       (leave-one-writer-out accuracy on the training side)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from outreach_coach.evaluation import Labelled, corpus_part, course_set, holdout_set
from outreach_coach.grader.analysis import Analysis
from outreach_coach.grader.checks import offer_evidence
from outreach_coach.grader.fit import FEATURES, MODEL_FILE
from outreach_coach.grader.profiles import as_recipient, as_sender
from outreach_coach.grader.wordlists import has_cue

TEAM_SETS = ("holdout.toml", "holdout2.toml", "holdout3.toml", "holdout4.toml")
PENALTY = 1.0  # L2 strength: keeps weights small and the fit stable on a few hundred offers
OUTPUT = Path(__file__).resolve().parents[1] / "outreach_coach/grader/resources" / MODEL_FILE


def feature_rows(items: list[Labelled]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Features, relevance labels and writers of the messages that make a concrete offer."""
    rows, labels, writers = [], [], []
    for item in items:
        recipient = as_recipient(item.recipient)
        sender = as_sender(item.sender) if item.sender else None
        analysis = Analysis(item.text, recipient, sender)
        if has_cue("negated_fit", item.text):
            continue  # decided by its own rule, whatever the fit
        decision = offer_evidence(analysis).fit
        if decision is None:
            continue
        rows.append([decision.features[name] for name in FEATURES])
        labels.append(1.0 if item.labels["relevance"] else 0.0)
        writers.append(item.writer)
    return np.array(rows), np.array(labels), writers


def fit_logistic(x: np.ndarray, y: np.ndarray, penalty: float = PENALTY) -> np.ndarray:
    """L2-penalised logistic regression by Newton's method: deterministic, no random start."""
    design = np.hstack([np.ones((len(x), 1)), x])
    weights = np.zeros(design.shape[1])
    ridge = penalty * np.eye(design.shape[1])
    ridge[0, 0] = 0.0  # the intercept is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-design @ weights))
        gradient = design.T @ (p - y) + ridge @ weights
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + ridge
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return weights


def training_items() -> list[Labelled]:
    """Every message the decision may learn from: training writers, then the team's sets."""
    team = course_set() + [item for name in TEAM_SETS for item in holdout_set(name)]
    return corpus_part("train") + team


def balanced_accuracy(y: np.ndarray, predicted: np.ndarray) -> float:
    """The mean of the recall on fitting and on unfitting offers."""
    recalls = [
        float((predicted[y == label] == label).mean()) for label in (0, 1) if (y == label).any()
    ]
    return sum(recalls) / len(recalls)


def cross_validate(x: np.ndarray, y: np.ndarray, writers: list[str]) -> dict[str, float]:
    """Leave one writer out (the team's sets count as writers too): train on the others, score
    the decision on that writer's offers."""
    groups = np.array(writers)
    scores = {}
    for writer in sorted(set(writers)):
        test = groups == writer
        weights = fit_logistic(x[~test], y[~test])
        z = weights[0] + x[test] @ weights[1:]
        scores[writer] = balanced_accuracy(y[test], (z >= 0).astype(float))
    return scores


def trained() -> dict:
    """The model file's content, from a fresh training run."""
    items = training_items()
    x, y, _ = feature_rows(items)
    weights = fit_logistic(x, y)
    return {
        "about": "Relevance decision: logistic regression written by tools/train_grader.py.",
        "trained_on": {"messages": len(items), "with_offers": len(y), "fitting": int(y.sum())},
        "weights": {
            "intercept": round(float(weights[0]), 6),
            **{name: round(float(w), 6) for name, w in zip(FEATURES, weights[1:], strict=True)},
        },
    }


# Feature values are float32 sums whose last bits depend on numpy's version and the CPU's vector
# instructions, so a fresh run on another machine can move a weight's sixth decimal.
WEIGHT_TOLERANCE = 1e-5


def same_model(committed: dict, fresh: dict) -> bool:
    """True when two model files agree: the same training counts and features, and every weight
    within WEIGHT_TOLERANCE."""
    first, second = committed["weights"], fresh["weights"]
    return (
        committed["trained_on"] == fresh["trained_on"]
        and first.keys() == second.keys()
        and all(abs(first[name] - second[name]) <= WEIGHT_TOLERANCE for name in first)
    )


def main() -> int:
    """Train, then write the model file or compare it with the committed one."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--cv", action="store_true", help="leave-one-writer-out figures")
    args = parser.parse_args()
    if args.cv:
        scores = cross_validate(*feature_rows(training_items()))
        values = np.array(list(scores.values()))
        print(" ".join(f"{w} {v:.3f}" for w, v in scores.items()))
        print(f"mean {values.mean():.3f} (sd {values.std():.3f}, min {values.min():.3f})")
        return 0
    model = trained()
    text = json.dumps(model, indent=2) + "\n"
    if args.check:
        if not same_model(json.loads(OUTPUT.read_text(encoding="utf-8")), model):
            print(f"{OUTPUT.name} is stale: run python tools/train_grader.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT.name} matches a fresh training run.")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(json.dumps(model["trained_on"]), json.dumps(model["weights"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
