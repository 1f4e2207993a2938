"""Writes a deterministic synthetic project (claims, references.bib, mkdocs.yml) for the benchmark.

The same seed, sizes and real mkdocs.yml always give byte-identical files. Shapes follow the
real content: claim files with 2-6 evidence entries, mixed stances, some `indirect`, `cites`
on web articles, `opposes` pairs and ~150-word bodies citing their sources; a bibliography of
@article, @online and @incollection entries with LaTeX-accented authors, DOIs, @string macros
and every study type. Every generated project passes `evidence check` without errors.

    python bench/synth.py OUT_DIR --claims 1000 --refs 500 [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOPICS = ("causes", "risk-factors", "prevention", "relief", "recovery")
STUDY_TYPES = (
    "meta-analysis",
    "systematic-review",
    "rct",
    "controlled-trial",
    "cohort",
    "case-control",
    "cross-sectional",
    "case-series",
    "narrative-review",
    "guideline",
    "expert-opinion",
)
STUDY_TYPE_WEIGHTS = (3, 4, 8, 7, 10, 5, 6, 3, 9, 2, 2)
OPINION_TYPES = frozenset({"narrative-review", "guideline", "expert-opinion"})

FAMILY_NAMES = (
    "Schwellnus",
    "Maughan",
    "Shirreffs",
    "Miller",
    "McDermott",
    "Baker",
    "Nielsen",
    "Jung",
    'M{\\"u}ller',
    'Sch{\\"o}n',
    "Garc{\\'\\i}a",
    "Mart{\\'\\i}nez",
    "Le{\\'o}n",
    "Fran{\\c{c}}ois",
    "B{\\'e}langer",
    "Nu{\\~n}ez",
    "{\\O}stergaard",
    "Andr{\\'e}",
    "Ko{\\v{c}}ar",
    "Str{\\o}m",
    "Bordoni",
    "Craighead",
    "Brophy-Williams",
    "Driller",
    "Halson",
    "Fell",
    "Kitic",
    "Yeargin",
    "Fiol",
    "Clarkson",
    "Nelson",
    "Hoffman",
    "Stuempfle",
    "Sulzer",
    "Noakes",
    "Rosner",
    "O'Connor",
    "van der Berg",
    "de la Cruz",
    "Dupr{\\'e}",
    "Gon{\\c{c}}alves",
    'J{\\"a}rvinen',
)
GIVEN_NAMES = (
    "Martin P.",
    "Ronald J.",
    "Susan M.",
    "Kevin C.",
    "Brendon P.",
    "Lindsay B.",
    "Rasmus O.",
    "J{\\'e}r{\\^o}me",
    "S{\\o}ren",
    'Zo{\\"e}',
    "In{\\'e}s",
    'Bj{\\"o}rn',
    "Ana",
    "Ned",
    "Matthew W.",
    "Cecilia M.",
    "James W.",
    "Shona L.",
    "Aidan",
    "Priscilla M.",
    "Mary P.",
    "Tim",
    "Kristin J.",
)
ORGANISATIONS = (
    "{Mayo Clinic Staff}",
    "{Cleveland Clinic}",
    "{RunToTheFinish}",
    "{Runner's World Editors}",
    "{National Health Service}",
    "{American College of Sports Medicine}",
)
JOURNALS = {
    "sm": "Sports Medicine",
    "bjsm": "British Journal of Sports Medicine",
    "jat": "Journal of Athletic Training",
    "msse": "Medicine \\& Science in Sports \\& Exercise",
    "cjsm": "Clinical Journal of Sport Medicine",
}
PLAIN_JOURNALS = (
    "Journal of Science and Medicine in Sport",
    "European Journal of Applied Physiology",
    "The Journal of Sports Medicine and Physical Fitness",
    "Muscle {\\&} Nerve",
    "Journal of Sports Sciences",
    "Scandinavian Journal of Medicine {\\&} Science in Sports",
)
SUBJECTS = (
    "muscle cramps",
    "exercise-associated muscle cramps",
    "calf cramps",
    "sweat sodium loss",
    "neuromuscular fatigue",
    "dehydration",
    "pickle juice",
    "static stretching",
    "marathon runners",
    "ultramarathon runners",
    "triathletes",
    "electrolyte drinks",
    "magnesium supplements",
    "compression socks",
    "heat stress",
    "training load",
    "running economy",
    "tendon reflexes",
)
TITLE_PATTERNS = (
    "{Subject} in {group}: a {design}",
    "The effect of {subject} on {subject2} during endurance exercise",
    "{Subject} and {subject2} -- a {design}",
    "Risk factors for {subject} in {group}",
    "Does {subject} prevent {subject2}? {Design} of {group}",
    "{Subject}: causes, solutions and questions remaining",
)
GROUPS = ("marathon runners", "ultramarathon runners", "Ironman triathletes", "recreational runners", "trail runners", "{NCAA} athletes")
DESIGNS = ("prospective cohort study", "randomised controlled trial", "systematic review", "case series", "cross-sectional survey", "crossover trial")

CLAIM_VERBS = ("prevents", "relieves", "causes", "raises the risk of", "shortens", "does not prevent", "is linked to")
CLAIM_OBJECTS = (
    "calf cramps in long runs",
    "cramps late in a marathon",
    "exercise-associated muscle cramps",
    "night cramps after hard sessions",
    "cramps in hot weather",
    "hamstring cramps in sprint finishes",
)
CLAIM_SUBJECTS = (
    "Drinking pickle juice",
    "Stretching the calf",
    "Taking magnesium",
    "Salt tablets",
    "A proper warm-up",
    "Running in the heat",
    "A sudden rise in weekly distance",
    "Compression socks",
    "Massage after runs",
    "Sleeping well before races",
    "Eating bananas",
    "Even pacing",
    "Strength training for the calves",
    "A history of cramping",
    "Older age",
    "Hill repeats",
    "Caffeine before racing",
    "Sports drinks",
)
TAGS = ("hydration", "electrolytes", "stretching", "training-load", "heat", "nutrition", "sleep", "pacing", "strength", "massage", "supplements", "footwear")
SENTENCES = (
    "Runners often report that {subject} matters, but the studies are small and rarely blinded",
    "A prospective study of {group} found no clear difference in {subject} between those who cramped and those who did not",
    "Reviews describe the evidence on {subject} as weak, resting mostly on case reports and expert opinion",
    "In a laboratory model the effect of {subject} was short-lived and did not carry over to field conditions",
    "Popular articles repeat the advice about {subject} without naming a study that tested it",
    "The largest cohort so far followed {group} for a full season and measured {subject} before every race",
    "Where trials exist they compare {subject} with no intervention rather than with a placebo",
    "Cramps are hard to provoke on demand, so most data on {subject} come from questionnaires after the event",
    "The effect sizes reported for {subject} are small and their confidence intervals cross zero",
    "Guidelines mention {subject} only in passing and grade the recommendation as expert opinion",
)
LOCATORS = ("Abstract", "Results", "Table 2", "Discussion", "p. 117", "Figure 3", "tip 4", "section 2.1")
NOTES = (
    "Found fewer cramps in the intervention group, though the difference was not significant.",
    "Reports that athletes who cramped had similar serum sodium to those who did not.",
    "Recommends the practice on the basis of clinical experience rather than trials.",
    "Measured a shorter cramp duration after the intervention in a small crossover design.",
    "Saw no link between the exposure and cramping after adjusting for race pace.",
    "Describes the mechanism as plausible but untested in runners.",
)
INDIRECT = ("triathletes, not runners only", "cramps induced electrically in a lab", "conference abstract", "older adults with night cramps", "cyclists in a heat chamber")

_PLAIN = re.compile(r"[^a-z]")


def _ascii_family(name: str) -> str:
    return _PLAIN.sub("", re.sub(r"\\[a-zA-Z]+|\\.", "", name).lower()) or "anon"


class Synth:
    def __init__(self, n_claims: int, n_refs: int, seed: int):
        self.rng = random.Random(seed)
        self.n_claims = n_claims
        self.n_refs = n_refs
        self.studies: list[str] = []
        self.web: list[str] = []
        self.measured: set[str] = set()  # studies that measured people: their evidence entries give `participants`

    def bibliography(self) -> str:
        rng = self.rng
        out = ["% Synthetic bibliography for the benchmark; generated by bench/synth.py.\n"]
        for macro, journal in JOURNALS.items():
            out.append(f'@string{{{macro} = "{journal}"}}\n')
        out.append("\n")
        keys: set[str] = set()
        for index in range(self.n_refs):
            roll = rng.random()
            kind = "online" if roll < 0.2 else "incollection" if roll < 0.3 else "article"
            year = rng.randint(1985, 2025)
            subject = rng.choice(SUBJECTS)
            title = rng.choice(TITLE_PATTERNS).format(
                subject=subject,
                Subject=subject[0].upper() + subject[1:],
                subject2=rng.choice(SUBJECTS),
                group=rng.choice(GROUPS),
                design=rng.choice(DESIGNS),
                Design=rng.choice(DESIGNS).capitalize(),
            )
            if kind == "online" and rng.random() < 0.3:
                authors = rng.choice(ORGANISATIONS)
                family = _ascii_family(authors)
            else:
                people = [(rng.choice(FAMILY_NAMES), rng.choice(GIVEN_NAMES)) for _ in range(rng.randint(1, 6))]
                family = _ascii_family(people[0][0])
                authors = " and ".join(f"{f}, {g}" for f, g in people)
            key = f"{family}{year}{_PLAIN.sub('', title.split()[1].lower())[:10]}"
            while key in keys:
                key += rng.choice("abcdefghjk")
            keys.add(key)
            lines = [f"@{kind}{{{key},", f"  author    = {{{authors}}},", f"  title     = {{{title}}},"]
            if kind == "online":
                self.web.append(key)
                lines.append(f"  organization = {{{rng.choice(('Healthline', 'Verywell Fit', 'Runners Connect', 'Mayo Clinic'))}}},")
                lines.append(f"  url       = {{https://www.example.org/running/{key}-{index}}},")
                if rng.random() < 0.5:
                    lines.append(f"  date      = {{{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}}},")
                else:
                    lines.append(f"  year      = {{{year}}},")
                lines.append(f"  urldate   = {{2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}}},")
                lines.append("  studytype = {web-article}")
            else:
                self.studies.append(key)
                if kind == "article":
                    macro = rng.choice(list(JOURNALS) + [None] * 3)
                    journal = macro if macro else "{" + rng.choice(PLAIN_JOURNALS) + "}"
                    lines.append(f"  journal   = {journal},")
                    lines.append(f"  volume    = {{{rng.randint(1, 60)}}},")
                    lines.append(f"  number    = {{{rng.randint(1, 12)}}},")
                    first = rng.randint(1, 900)
                    lines.append(f"  pages     = {{{first}--{first + rng.randint(4, 20)}}},")
                    if rng.random() < 0.4:
                        lines.append(f"  month     = {rng.choice(('jan', 'mar', 'jun', 'sep', 'nov'))},")
                else:
                    lines.append("  booktitle = {{StatPearls}},")
                    lines.append("  publisher = {StatPearls Publishing},")
                    lines.append("  address   = {Treasure Island, FL},")
                lines.append(f"  year      = {{{year}}},")
                if rng.random() < 0.85:
                    lines.append(f"  doi       = {{10.{rng.randint(1000, 9999)}/{key[:6]}.{year}.{index:05d}}},")
                if rng.random() < 0.5:
                    lines.append(f"  pmid      = {{{rng.randint(1_000_000, 39_999_999)}}},")
                study_type = rng.choices(STUDY_TYPES, STUDY_TYPE_WEIGHTS)[0]
                lines.append(f"  studytype = {{{study_type}}}")
                if study_type not in OPINION_TYPES:
                    self.measured.add(key)
            lines.append("}\n")
            out.append("\n".join(lines) + "\n")
        return "".join(out)

    def claims(self) -> dict[str, str]:
        """{relative path: text} for every claim; every reference is cited at least once."""
        rng = self.rng
        slugs = []
        for index in range(self.n_claims):
            words = f"{rng.choice(CLAIM_SUBJECTS)} {rng.choice(CLAIM_VERBS)} {rng.choice(CLAIM_OBJECTS)}"
            slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
            slugs.append((f"{slug}-{index:05d}", words, TOPICS[index % len(TOPICS)]))
        opposes: dict[int, list[int]] = {}
        for index in range(0, self.n_claims - 1, 20):  # 5% of claims in pairs, most pairs symmetric
            opposes.setdefault(index, []).append(index + 1)
            if rng.random() < 0.7:
                opposes.setdefault(index + 1, []).append(index)
        unused = self.studies + self.web
        rng.shuffle(unused)
        files = {}
        for index, (slug, words, topic) in enumerate(slugs):
            files[f"content/claims/{topic}/{slug}.md"] = self._claim(words, topic, [slugs[i][0] for i in opposes.get(index, [])], unused)
        return files

    def _claim(self, words: str, topic: str, opposes: list[str], unused: list[str]) -> str:
        rng = self.rng
        count = rng.randint(2, 6)
        sources: list[str] = []
        while unused and len(sources) < min(count, 3):
            sources.append(unused.pop())
        while len(sources) < count:
            pool = self.studies if rng.random() < 0.8 or not self.web else self.web
            key = rng.choice(pool)
            if key not in sources:
                sources.append(key)
        web_only = all(key in self.web for key in sources)
        reviewed = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
        lines = [
            "---",
            f"claim: {words}.",
            f"topic: {topic}",
            f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]",
            f"reviewed: {reviewed.isoformat()}",
            "evidence:",
        ]
        for key in sources:
            lines.append(f"  - source: {key}")
            lines.append(f"    stance: {rng.choices(('supports', 'contradicts', 'mixed'), (5, 3, 2))[0]}")
            if key in self.web and self.studies and rng.random() < 0.4:
                lines.append(f"    cites: [{rng.choice(self.studies)}]")
            if key in self.measured:  # derived from the key, so the random sequence (and the rest of the project) stays as it was
                lines.append(f"    participants: {sum(map(ord, key)) % 1900 + 20}")
            if rng.random() < 0.6:
                lines.append(f"    locator: {rng.choice(LOCATORS)}")
            lines.append(f"    note: {rng.choice(NOTES)}")
            if rng.random() < 0.2:
                lines.append(f"    indirect: {rng.choice(INDIRECT)}")
        if opposes:
            lines.append(f"opposes: [{', '.join(opposes)}]")
        if web_only:
            lines.append("evidence_gap: No study on this question was found in PubMed or SPORTDiscus.")
        lines.append("---")
        lines.append(self._body(sources))
        return "\n".join(lines) + "\n"

    def _body(self, sources: list[str]) -> str:
        rng = self.rng
        paragraphs, words, cited = [], 0, 0
        while words < 150 or cited < len(sources):
            sentences = []
            for _ in range(rng.randint(2, 4)):
                text = rng.choice(SENTENCES).format(subject=rng.choice(SUBJECTS), group=rng.choice(GROUPS).replace("{", "").replace("}", ""))
                if cited < len(sources):
                    group = sources[cited : cited + rng.randint(1, 2)]
                    cited += len(group)
                    if len(group) == 1 and rng.random() < 0.3:
                        text += f" [@{group[0]}, {rng.choice(('p. 12', 'Table 1', 'ch. 3'))}]"
                    else:
                        text += " [" + "; ".join(f"@{key}" for key in group) + "]"
                elif rng.random() < 0.1:
                    text += " (see [the trial registry](https://clinicaltrials.gov/))"
                sentences.append(text + ".")
                words += len(text.split())
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs)


def mkdocs_config(site_name: str) -> tuple[str, list[str]]:
    """The real mkdocs.yml with a synthetic site name; the folders it refers to that must be copied."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^site_name:.*$", f"site_name: {site_name}", text, count=1)
    text = re.sub(r"(?m)^site_url:.*\n", "", text)
    copies = []
    for match in re.finditer(r"(?m)^\s*custom_dir:\s*(\S+)\s*$", text):
        if (REPO / match.group(1)).is_dir():
            copies.append(match.group(1))
        else:  # not written yet in the real project: MkDocs refuses a missing custom_dir
            text = text.replace(match.group(0) + "\n", "")
    return text, copies


_CLAIM_LINK = re.compile(r"\[([^\]]+)\]\((?:\.\./)*claims/[^)\s]+\.md[^)]*\)")


def copy_hand_written_pages(content: Path) -> None:
    """The real project's pages outside claims/ (the nav names them), except its home page.

    Their links to real claims, which the synthetic project does not have (and `evidence check`
    reports), are pointed at the claims index instead.
    """
    real = REPO / "content"
    for path in sorted(real.rglob("*")):
        rel = path.relative_to(real)
        if path.is_dir() or rel.parts[0] == "claims" or rel.as_posix() == "index.md" or any(p.startswith(".") for p in rel.parts):
            continue
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":  # links to the real site's claims would break the strict build: keep their text
            text = _CLAIM_LINK.sub(r"\1", path.read_text(encoding="utf-8"))
            (content / rel).write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(path, content / rel)


def generate(out_dir: Path, n_claims: int, n_refs: int, seed: int = 1) -> Path:
    """Write the synthetic project into out_dir (replacing what the generator wrote before)."""
    out_dir = Path(out_dir)
    for name in ("content", ".generated", ".prerendered", ".editor-floor", "site", "site-floor", ".cache", ".evidence-cache"):
        shutil.rmtree(out_dir / name, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    synth = Synth(n_claims, n_refs, seed)
    (out_dir / "references.bib").write_text(synth.bibliography(), encoding="utf-8")
    for rel_path, text in synth.claims().items():
        path = out_dir / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (out_dir / "content" / "index.md").write_text(
        f"# Synthetic evidence site\n\n{n_claims:,} generated claims and {n_refs:,} references, for the benchmark.\n\n<!-- evidence:summary -->\n",
        encoding="utf-8",
    )
    copy_hand_written_pages(out_dir / "content")
    config, copies = mkdocs_config(f"Benchmark site ({n_claims} claims, {n_refs} references)")
    # MkDocs checks that docs_dir exists before any plugin runs; the real project keeps it in git.
    docs_dir = re.search(r"(?m)^docs_dir:\s*(\S+)", config)
    docs = out_dir / (docs_dir.group(1).strip("'\"") if docs_dir else "docs")
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir()
    (docs / ".gitignore").write_text("*\n!.gitignore\n", encoding="utf-8")
    (out_dir / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in copies:
        shutil.rmtree(out_dir / folder, ignore_errors=True)
        shutil.copytree(REPO / folder, out_dir / folder)
    return out_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--refs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out_dir, args.claims, args.refs, args.seed)
    print(args.out_dir)


if __name__ == "__main__":
    main()
