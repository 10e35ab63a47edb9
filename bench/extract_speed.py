"""How fast is the fact extractor? Builds synthetic ~600-word news articles and
times extract_cuts over them on one core.

    uv run python bench/extract_speed.py [--articles 1000] [--words 600] [--seed 7]

The target is at least 200 articles per second (issue 10). The articles are generated
from template sentences (a cut, background, filler), so the run needs no
network and no sample pages.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.extract import extract_cuts, load_reference  # noqa: E402

COMPANIES = [
    ("Amazon", ["its AWS unit", "its retail division", "the Alexa team", "its Physical Stores Technology team"]),
    ("Google", ["its cloud unit", "the YouTube team", "its Platforms and Devices division"]),
    ("Meta", ["Reality Labs", "the Instagram team", "its WhatsApp unit"]),
    ("Microsoft", ["its Xbox unit", "the LinkedIn team", "its mixed reality organization"]),
    ("Salesforce", ["its Slack unit", "its Tableau business"]),
    ("Intel", ["its foundry unit", "its Mobileye business"]),
    ("Tesla", ["its Supercharger team", "its energy division"]),
    ("Zephyr Robotics", ["its Payments Platform group", "its Field Services team"]),
    ("Northwind Freight", ["its Linehaul Operations group"]),
]
FIGURES = ["650", "about 1,800", "nearly 2,000", "more than 300", "hundreds", "several hundred", "up to 500",
           "between 400 and 600", "two hundred", "roughly 10% of its 12,000", "dozens"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "this week", "on Friday", "yesterday"]

CUT_TEMPLATES = [
    "{company} said {day} that it would cut {figure} jobs in {unit}, according to an internal memo.",
    "{company} is laying off {figure} employees in {unit} as it shifts spending toward new products.",
    "{company} eliminated {figure} positions {day}, with most of the reductions falling on {unit}.",
    "Workers in {unit} were told {day} that {figure} roles at {company} would be eliminated.",
]
BACKGROUND_TEMPLATES = [
    "The company has cut about {big} roles since early 2022 in several rounds.",
    "Last year it laid off {big} workers, its largest reduction so far.",
    "The move follows the {big} job cuts it announced in 2023.",
]
NOISE_TEMPLATES = [
    "Separately, the company said it plans to hire {small} engineers for its research labs next year.",
    "Shares rose {pct}% after the company raised its revenue forecast to ${money} billion.",
    "The central bank cut interest rates by a quarter point, which analysts said could help demand.",
    "The retailer cut prices on {small} products ahead of the holiday season.",
]
FILLER = [
    "Analysts said the outlook for the sector remained uncertain as customers delayed large purchases.",
    "The company reported quarterly revenue that beat estimates, helped by strong demand for subscriptions.",
    "Executives have spent much of the past year reorganizing teams around a smaller set of priorities.",
    "Investors have pushed large technology groups to show that heavy spending on data centers will pay off.",
    "Competition from smaller rivals has intensified, particularly in markets where prices fell sharply.",
    "A spokesperson declined to comment beyond the statement and did not say which offices were affected.",
    "The changes are expected to be completed by the end of the fiscal year, according to the memo.",
    "Several employees described the mood inside the company as tense but not surprised.",
    "The firm has been investing in automation tools that it says will make teams more productive.",
    "Regulators in several countries are reviewing how the company handles data from its customers.",
]


def build_article(rng: random.Random, words: int) -> tuple[str, str, date]:
    company, units = rng.choice(COMPANIES)
    unit = rng.choice(units)
    fill = {
        "company": company,
        "unit": unit,
        "figure": rng.choice(FIGURES),
        "day": rng.choice(DAYS),
        "big": f"{rng.randint(5, 30)},000",
        "small": rng.randint(100, 900),
        "pct": rng.randint(1, 9),
        "money": rng.randint(2, 90),
    }
    title = f"{company} cuts jobs in {unit.replace('its ', '')}"
    paragraphs = [rng.choice(CUT_TEMPLATES).format(**fill), rng.choice(BACKGROUND_TEMPLATES).format(**fill),
                  rng.choice(NOISE_TEMPLATES).format(**fill)]
    while sum(len(p.split()) for p in paragraphs) < words:
        paragraphs.append(" ".join(rng.choice(FILLER) for _ in range(3)))
    rng.shuffle(paragraphs[1:])
    published = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))
    return title, "\n".join(paragraphs), published


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    articles = [build_article(rng, args.words) for _ in range(args.articles)]
    reference = load_reference()
    extract_cuts(articles[0][1], title=articles[0][0], published_on=articles[0][2], reference=reference)  # warm caches

    facts = 0
    started = time.perf_counter()
    for title, text, published in articles:
        facts += len(extract_cuts(text, title=title, published_on=published, reference=reference))
    elapsed = time.perf_counter() - started

    mean_words = sum(len(text.split()) for _, text, _ in articles) / len(articles)
    rate = len(articles) / elapsed
    print(f"{len(articles)} articles, {mean_words:.0f} words on average, {facts} facts")
    print(f"{elapsed:.2f} s, {rate:.0f} articles/second (target: 200)")
    return 0 if rate >= 200 else 1


if __name__ == "__main__":
    raise SystemExit(main())
