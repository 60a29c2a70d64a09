"""Precision and recall of the catalogue draft's prose reader on sentences in other plans' style.

The test set, ``tests/data/draft_sentences.yaml``, holds several dozen sentences written the way
other counties' and provinces' 2021-2030 plans print their goals, with traps (baselines, counts of
measures, dates, percentages of something else, measures, interim years). Each item becomes a
small plan text (a title, a domain heading, "主要目标：", the sentence; or a 发展基础 / 策略措施
part), is drafted with ``planlib.draft.draft_catalog`` exactly as ``planlib catalog draft`` does,
and its rows are compared with the expected (indicator, target) pairs: a pair is found when the
names are the same (``vocabulary.name_key``) and the targets mean the same
(``Target.meaning``).

A second, held-out set (``tests/data/draft_sentences_holdout.yaml``, ``--set holdout``) was written
after the reader; its first run prompted general fixes. A third (``--set unseen``) was written
last and the reader was not changed after its first run: it shows how the reader does on
phrasings it was not built on.

Run: ``.venv/bin/python benchmarks/draft_accuracy.py [--set main|holdout] [--verbose]``. Goal: precision >= 0.95,
recall >= 0.90.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TEST_SET = ROOT / "tests" / "data" / "draft_sentences.yaml"
HOLDOUT_SET = ROOT / "tests" / "data" / "draft_sentences_holdout.yaml"
UNSEEN_SET = ROOT / "tests" / "data" / "draft_sentences_unseen.yaml"
SETS = {"main": TEST_SET, "holdout": HOLDOUT_SET, "unseen": UNSEEN_SET}
GOAL_PRECISION, GOAL_RECALL = 0.95, 0.90


@dataclass
class Scores:
    """Counts over the test set, and the misses for reading."""

    drafted: int = 0
    expected: int = 0
    found: int = 0
    items: int = 0
    wrong: list = field(default_factory=list)  # drafted, not expected: (item, name, target)
    missed: list = field(default_factory=list)  # expected, not drafted

    @property
    def precision(self) -> float:
        return self.found / self.drafted if self.drafted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def plan_text(item: dict) -> str:
    """The small plan an item is read in."""
    section = item.get("section") or "妇女与健康"
    plan = "儿童" if section.startswith("儿童") else "妇女"
    title = f"某县{plan}发展规划（2021—2030年）"
    if section == "发展基础":
        return f"{title}\n一、发展基础\n{item['text']}\n二、主要目标\n（一）妇女与健康\n主要目标：\n"
    if section == "策略措施":
        return f"{title}\n（一）妇女与健康\n主要目标：\n策略措施：\n{item['text']}\n"
    return f"{title}\n（一）{section}\n主要目标：\n{item['text']}\n"


def drafted_pairs(text: str, workdir: Path) -> list[tuple[str, str]]:
    from planlib.draft import draft_catalog
    from planlib.errors import PlanlibError

    path = workdir / "plan.txt"
    path.write_text(text, encoding="utf-8")
    try:
        draft = draft_catalog(path)
    except PlanlibError:  # nothing to draft
        return []
    return list(zip(draft.catalog["name_zh"], draft.catalog["target_text"]))


def same(pair: tuple[str, str], gold: tuple[str, str]) -> bool:
    from planlib.draft.vocabulary import name_key
    from planlib.targets import parse_target

    return name_key(pair[0]) == name_key(gold[0]) and parse_target(pair[1]).meaning == parse_target(gold[1]).meaning


def evaluate(path: Path = TEST_SET) -> Scores:
    """Draft every item of the test set and count what was found."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    scores = Scores(items=len(items))
    with tempfile.TemporaryDirectory() as tmp:
        for item in items:
            got = drafted_pairs(plan_text(item), Path(tmp))
            gold = [tuple(p) for p in item["expect"]]
            scores.drafted += len(got)
            scores.expected += len(gold)
            left = list(gold)
            for pair in got:
                hit = next((g for g in left if same(pair, g)), None)
                if hit is None:
                    scores.wrong.append((item["id"], *pair))
                else:
                    left.remove(hit)
                    scores.found += 1
            scores.missed += [(item["id"], *g) for g in left]
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every wrong and missed pair")
    parser.add_argument("--set", choices=list(SETS), default="main",
                        help="the main test set, the held-out one, or the one never tuned on")
    args = parser.parse_args(argv)
    s = evaluate(SETS[args.set])
    print(f"test set: {s.items} items, {s.expected} expected (indicator, target) pairs")
    print(f"drafted {s.drafted}, correct {s.found}")
    print(f"precision {s.precision:.3f} (goal >= {GOAL_PRECISION}), recall {s.recall:.3f} (goal >= {GOAL_RECALL})")
    if args.verbose or s.wrong or s.missed:
        for row in s.wrong:
            print("  drafted, not expected:", *row)
        for row in s.missed:
            print("  expected, not drafted:", *row)
    return 0 if s.precision >= GOAL_PRECISION and s.recall >= GOAL_RECALL else 1


if __name__ == "__main__":
    sys.exit(main())
