"""The library mode of the benchmark (`tools/bench.py --library N`, issue 21's targets).

Makes a synthetic library in a scratch folder (nothing of it is committed): N leaflets,
copies in turn of the service's leaflet and of the two test fixture leaflets, each with a
distinct file name and title; the copies of the service's leaflet take its catalogs (the
title's msgid renamed with it) so that every chosen language builds; the fixtures have
no catalogs, so they build in English only. source/shared/ is copied beside them.
Each build runs in a new process under a small wrapper that reports its wall time, the
CPU time of the build and its workers and their peak memory (getrusage of the children).
"""
from __future__ import annotations

import json
import re
import shutil
import string
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "source" / "nerve-related-back-and-leg-pain.yaml"
FIXTURES = sorted((ROOT / "tests" / "data" / "library").glob("*.yaml"))
# The sentence the clinical owner edits, and the shared red flag edited.
EDIT = ("Diagnosis is usually made from your symptoms",
        "Diagnosis is usually made from your symptoms and an examination")
FLAG = ("Loss of sensation passing urine", "Loss of sensation when passing urine")

# Runs one build in a new process and prints its measures: getrusage(RUSAGE_CHILDREN)
# covers render.py and the workers it waited for.
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": use.ru_utime + use.ru_stime, "rss": use.ru_maxrss,
                  "code": done.returncode, "out": done.stdout + done.stderr}))
"""


def letters(number: int) -> str:
    """A distinct name of copy `number` without digits (a digit in a title would be a
    number its translations lack): A, B, ... Z, AA, AB..."""
    name = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        name = string.ascii_uppercase[rest] + name
    return name


def make(folder: Path, count: int, languages: list[str]) -> list[dict]:
    """The library of `count` leaflets in folder/source and folder/translations: what
    each is (name, kind, languages, whether it uses the cauda equina list)."""
    source, translations = folder / "source", folder / "translations"
    shutil.copytree(ROOT / "source" / "shared", source / "shared")
    translations.mkdir(parents=True)
    # The shared passages' catalogs, one per language, whatever uses them.
    for path in [ROOT / "translations" / "shared.pot",
                 *(ROOT / "translations").glob("*/LC_MESSAGES/shared.po")]:
        if path.parent.parent.name.replace("_", "-") in languages or path.suffix == ".pot":
            target = translations / path.relative_to(ROOT / "translations")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    kinds = [REAL, *FIXTURES]
    made = []
    for number in range(count):
        made.append(copy(kinds[number % len(kinds)], number, source, translations,
                         languages))
    return made


def copy(original: Path, number: int, source: Path, translations: Path,
         languages: list[str], label: str = "") -> dict:
    """Copy `number` of a leaflet, with a distinct name and title (`label`, by default
    letters of `number`), and its catalogs."""
    text = original.read_text(encoding="utf-8")
    line = re.search(r"^  title: (.*)$", text, re.M)
    title = json.loads(line.group(1)) if line.group(1).startswith('"') else line.group(1)
    new_title = f"{title} (library copy {label or letters(number)})"
    text = text[:line.start(1)] + json.dumps(new_title) + text[line.end(1):]
    name = f"bench-{letters(number).lower()}-{original.stem}"
    (source / f"{name}.yaml").write_text(text, encoding="utf-8")
    # The template the catalogs were made from: the build tells a source edit from a
    # translator's by it.
    pot = ROOT / "translations" / f"{original.stem}.pot"
    if pot.exists():
        (translations / f"{name}.pot").write_text(pot.read_text(encoding="utf-8").replace(
            f'msgid "{title}"', f'msgid "{new_title}"'), encoding="utf-8")
    built = ["en-GB"]
    for language in languages:
        po = ROOT / "translations" / language.replace("-", "_") / "LC_MESSAGES" / \
            f"{original.stem}.po"
        if language == "en-GB" or not po.exists():
            continue
        target = translations / po.parent.relative_to(ROOT / "translations") / f"{name}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(po.read_text(encoding="utf-8").replace(
            f'msgid "{title}"', f'msgid "{new_title}"'), encoding="utf-8")
        built.append(language)
    return {"name": name, "languages": built if "en-GB" in languages else built[1:],
            "flags": "{use: cauda-equina}" in text}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"bench: {path.name} does not say {old!r}")
    path.write_text(text.replace(old, new), encoding="utf-8")


def bump(path: Path) -> None:
    """A new version, as a changed clinical text needs (else the build refuses it)."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r'^  version: "(\d+)\.(\d+)"', text, re.M)
    path.write_text(text[:found.start()] + f'  version: "{found[1]}.{int(found[2]) + 1}"'
                    + text[found.end():], encoding="utf-8")


def run(folder: Path, output: Path, *args: str, source: Path | None = None) -> dict:
    """One build of the library in folder/ into `output`, measured."""
    command = [sys.executable, str(ROOT / "render.py"), "build", "-o", str(output),
               "--source", str(source or folder / "source"),
               "--translations", str(folder / "translations"), *args]
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *command], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    result = json.loads(done.stdout)
    if result["code"]:
        raise SystemExit(f"bench: the build failed:\n{result['out']}")
    return result


def pages(output: Path) -> int:
    """The pages of every PDF the manifest lists."""
    from pypdf import PdfReader

    listed = json.loads((output / "manifest.json").read_text())
    entries = listed if isinstance(listed, list) else listed.get("files", [])
    return sum(len(PdfReader(output / e["path"]).pages) for e in entries
               if e["path"].endswith(".pdf"))


def rebuilt(said: str) -> tuple[int, int, int]:
    """(editions rebuilt, editions, cards rebuilt) from the build's "N of M editions ... up
    to date" and "to build: N editions ..., K cards" lines."""
    found = re.search(r"(\d+) of (\d+) editions", said)
    cards = re.search(r"to build: \d+ [^,]*, (\d+) cards?", said)
    if not found or not cards:
        return -1, -1, -1
    return int(found[2]) - int(found[1]), int(found[2]), int(cards[1])


def fonts(output: Path) -> dict:
    """The manifest's shared font subsets, by path: their entries."""
    listed = json.loads((output / "manifest.json").read_text())
    entries = listed if isinstance(listed, list) else listed.get("files", [])
    return {e["path"]: e for e in entries if e.get("variant") == "font"}


def subsetting(folder: Path, leaflets: list[str]) -> dict:
    """CPU seconds to subset, anew, the fonts the web pages of `leaflets` share."""
    done = subprocess.run([sys.executable, str(Path(__file__)), "--subset", str(folder),
                           *leaflets], cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def _subset_once(folder: Path, names: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    from leaflet.build import build
    from leaflet.formats import web

    options = build.Options(source=folder / "source", translations=folder / "translations",
                            output=folder / "nowhere", leaflets=tuple(names))
    needed = [f for leaflet in build.library(options)
              for e in build.languages(leaflet, options)[1]
              for f in web.render(e.leaflet, e.notices, e.status, []).fonts]
    shared = web.shared(needed, [])
    start = time.process_time()
    for font in shared:
        web.subset(font)
    print(json.dumps({"cpu": time.process_time() - start, "fonts": len(shared)}))


def measure(count: int, languages: list[str], rounds: int, scratch: Path) -> int:
    """Every measure of the library mode, printed against the issue's targets."""
    library = make(scratch / "lib", count, languages)
    one = make(scratch / "one", 1, languages)[0]
    editions = sum(len(x["languages"]) for x in library)
    print(f"library: {count} leaflets ({sum(x['flags'] for x in library)} use the cauda "
          f"equina list), {editions} editions; languages: {', '.join(languages)}", flush=True)
    lib_runs, one_runs = [], []
    for round_ in range(1, rounds + 1):  # alternating, as the machine's speed drifts
        shutil.rmtree(scratch / "out-one", ignore_errors=True)
        one_runs.append(run(scratch / "one", scratch / "out-one"))
        one_runs[-1]["pages"] = pages(scratch / "out-one")
        shutil.rmtree(scratch / "out", ignore_errors=True)
        lib_runs.append(run(scratch / "lib", scratch / "out"))
        lib_runs[-1]["pages"] = pages(scratch / "out")
        print(f"round {round_}: library {lib_runs[-1]['wall']:.2f} s "
              f"({lib_runs[-1]['cpu']:.2f} s CPU, {lib_runs[-1]['pages']} pages), one "
              f"leaflet {one_runs[-1]['wall']:.2f} s ({one_runs[-1]['cpu']:.2f} s CPU, "
              f"{one_runs[-1]['pages']} pages)", flush=True)
    lib = min(lib_runs, key=lambda r: r["wall"])
    alone = min(one_runs, key=lambda r: r["wall"])
    # The first no-op after a build compares the files it wrote last by content (their
    # stat was taken within the file system's clock tick: leaflet/build/stamp.py).
    no_ops = [run(scratch / "lib", scratch / "out")["wall"] for _ in range(max(rounds, 5))]
    print("no-op builds: " + ", ".join(f"{t:.3f} s" for t in no_ops), flush=True)
    no_op = min(no_ops)

    # One leaflet's YAML edited (the sentence, a new version), then the same
    # leaflet alone into an empty folder; in each round the sentence goes one way or back.
    edited = next(x for x in library if x["name"].endswith(REAL.stem))
    path = scratch / "lib" / "source" / f"{edited['name']}.yaml"
    edits = []
    for round_ in range(1, rounds + 1):
        edit(path, *(EDIT if round_ % 2 else EDIT[::-1]))
        bump(path)
        after = run(scratch / "lib", scratch / "out")
        shutil.rmtree(scratch / "out-edited", ignore_errors=True)
        alone_now = run(scratch / "lib", scratch / "out-edited", "--leaflet", edited["name"])
        edits.append((after, alone_now))
        print(f"edit round {round_}: library {after['wall']:.2f} s, that leaflet alone "
              f"{alone_now['wall']:.2f} s (+{after['wall'] - alone_now['wall']:.2f} s)",
              flush=True)
    after_edit = min((a for a, _ in edits), key=lambda r: r["wall"])
    edited_alone = min((b for _, b in edits), key=lambda r: r["wall"])
    if rounds % 2:  # the sentence back as its catalogs have it: every language released
        edit(path, *EDIT[::-1])
        bump(path)
        run(scratch / "lib", scratch / "out")

    # A shared red flag edited, and in the copied catalogs its msgid and its translation
    # (a translator's new wording, here its first word said twice: no new character, and
    # short enough that every language's card still fits, where the whole sentence said
    # twice made the Romanian card overflow), so every language stays complete and its
    # card's words change; each leaflet using the list takes a new version.
    edit(scratch / "lib" / "source" / "shared" / "red-flags.yaml", *FLAG)
    for po in [*(scratch / "lib" / "translations").rglob("shared.po"),
               *(scratch / "lib" / "translations").glob("shared.pot")]:
        edit(po, f'msgid "{FLAG[0]}"', f'msgid "{FLAG[1]}"')
        if po.suffix == ".po":
            text = po.read_text(encoding="utf-8")
            po.write_text(re.sub(rf'(msgid "{FLAG[1]}"\nmsgstr )"(.+)"',
                                 lambda m: f'{m[1]}"{m[2].split()[0]} {m[2]}"', text),
                          encoding="utf-8")
    for x in library:
        if x["flags"]:
            bump(scratch / "lib" / "source" / f"{x['name']}.yaml")
    after_flag = run(scratch / "lib", scratch / "out")
    expected = sum(len(x["languages"]) for x in library if x["flags"])
    # One card per language of the list: every language a leaflet using it is built in.
    expected_cards = len({lang for x in library if x["flags"] for lang in x["languages"]})
    count_flag = rebuilt(after_flag["out"])

    # Web fonts: subsetting anew for the library and for one leaflet; then a leaflet
    # added (a copy of the service's, no new characters) to the built library.
    lib_fonts = subsetting(scratch / "lib", [])
    one_fonts = subsetting(scratch / "one", [])
    before = fonts(scratch / "out")
    # Its title's label in lower-case letters the leaflet already prints: a copy's
    # capital letter could be a character new to its language's subset.
    added = copy(REAL, count, scratch / "lib" / "source", scratch / "lib" / "translations",
                 languages, label="added")
    after_add = run(scratch / "lib", scratch / "out")
    after = fonts(scratch / "out")
    changed = sorted(p for p in after if before.get(p) != after[p])

    per = lambda r, k: r[k] / max(r["pages"], 1)  # noqa: E731
    ratio = lambda k: per(lib, k) / per(alone, k)  # noqa: E731
    rows = [
        (f"full build of the library, {lib['pages']} PDF pages", f"{lib['wall']:.2f} s", ""),
        (f"one leaflet alone, {alone['pages']} PDF pages", f"{alone['wall']:.2f} s", ""),
        ("wall time per page: library / one leaflet",
         f"{per(lib, 'wall'):.3f} / {per(alone, 'wall'):.3f} s = {ratio('wall'):.2f}",
         "<= 1.10"),
        ("CPU time per page: library / one leaflet",
         f"{per(lib, 'cpu'):.3f} / {per(alone, 'cpu'):.3f} s = {ratio('cpu'):.2f}", "<= 1.10"),
        ("no-op build of the library", f"{no_op:.2f} s", "< 0.3"),
        (f"one leaflet's YAML edited ({edited['name']})", f"{after_edit['wall']:.2f} s",
         f"<= {edited_alone['wall'] + 0.5:.2f} (alone + 0.5)"),
        ("  that leaflet alone, edited, empty folder", f"{edited_alone['wall']:.2f} s", ""),
        ("shared red flag edited: editions, cards rebuilt",
         f"{count_flag[0]} of {count_flag[1]}, {count_flag[2]} in {after_flag['wall']:.2f} s",
         f"== {expected}, {expected_cards} (its leaflets, its card)"),
        (f"font subsetting CPU, library ({lib_fonts['fonts']} fonts)",
         f"{lib_fonts['cpu']:.2f} s", f"<= {2 * one_fonts['cpu']:.2f} (2 x one leaflet)"),
        (f"font subsetting CPU, one leaflet ({one_fonts['fonts']} fonts)",
         f"{one_fonts['cpu']:.2f} s", ""),
        (f"a leaflet added ({added['name']}): fonts subset again",
         f"{len(changed)} in {after_add['wall']:.2f} s", "== 0 (no new characters)"),
        ("peak memory (max RSS of the build or a worker), library",
         f"{lib['rss'] / 1024:.0f} MB", ""),
        ("peak memory, one leaflet", f"{alone['rss'] / 1024:.0f} MB", ""),
    ]
    print(f"\nbest of {rounds} round{'s' * (rounds != 1)}\n{'measure':58} {'figure':>34}  "
          "target")
    for name, figure, target in rows:
        print(f"{name:58} {figure:>34}  {target}")
    met = {"cost per page (wall)": ratio("wall") <= 1.10,
           "cost per page (CPU)": ratio("cpu") <= 1.10, "no-op": no_op < 0.3,
           "one YAML edited": after_edit["wall"] <= edited_alone["wall"] + 0.5,
           "shared red flag": count_flag[0] == expected and count_flag[2] == expected_cards,
           "font subsetting": lib_fonts["cpu"] <= 2 * one_fonts["cpu"],
           "leaflet added": not changed}
    print("targets met: " + ", ".join(k for k, v in met.items() if v))
    print("targets not met: " + (", ".join(k for k, v in met.items() if not v) or "none"))
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["--subset"]:
    _subset_once(Path(sys.argv[2]), sys.argv[3:])
