"""Every file of the inputs folder ends up processed or rejected; one bad file never stops the others."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from valuechain import ingest
from valuechain.corpus import files_by_shard, list_input_files, review_id_for, safe_fragment, shard_of
from valuechain.stages.tables import REVIEW_COLUMNS, rejected_table, reviews_table
from valuechain.stages.tokens import REJECTED_COLUMNS, ingest_files, tokens_frame, write_ingest

FIX = Path(__file__).parent / "fixtures" / "inputs"
ROOT = Path(__file__).resolve().parent.parent
MAX = 25_000_000  # config/config.yaml max_file_bytes
KO = "엔비디아는 GPU를 설계하고 TSMC는 칩을 만든다.\n"

# expected fate of each committed fixture: encoding when processed, reason when rejected
EXPECTED = {
    "brunch-page.html": ("processed", "utf-8"),
    "cp949-crlf.txt": ("processed", "cp949"),
    "cp949-short.txt": ("processed", "cp949"),
    "cr-only.txt": ("processed", "utf-8"),
    "english-only.md": ("processed", "utf-8"),
    "news-article-euckr.htm": ("processed", "cp949"),
    "page-saved-as.txt": ("processed", "utf-8"),
    "utf16-bom.txt": ("processed", "utf-16"),
    "utf8-bom-crlf.txt": ("processed", "utf-8-sig"),
    "utf8-plain.txt": ("processed", "utf-8"),
    "empty.txt": ("rejected", "empty"),
    "whitespace-only.txt": ("rejected", "empty"),
    "notes.docx": ("rejected", "unsupported_type"),
}


def fates(reviews, rejected) -> dict:
    out = {rv.source: ("processed", rv.encoding) for rv in reviews}
    for r in rejected:
        assert r["file"] not in out, f"{r['file']} both processed and rejected"
        out[r["file"]] = ("rejected", r["reason"])
    return out


def test_every_fixture_file_is_accounted_for():
    files = list_input_files(FIX)
    assert {p.name for p in files} == set(EXPECTED)  # hidden .gitattributes is not an input
    reviews, rejected = ingest_files(files, MAX)
    assert fates(reviews, rejected) == EXPECTED
    assert len(reviews) + len(rejected) == len(files)


def test_fixture_folder_through_the_shards_and_tables(tmp_path):
    """As the workflow does it: per shard ingest, then the corpus tables; nothing lost."""
    files = list_input_files(FIX)
    jsonls, rejs, toks = [], [], []
    for shard, members in files_by_shard(files, 3).items():
        reviews, rejected = ingest_files(members, MAX)
        j, r, t = tmp_path / f"{shard}.jsonl", tmp_path / f"{shard}.csv", tmp_path / f"{shard}.parquet"
        write_ingest(reviews, rejected, str(j), str(r))
        tokens_frame([]).to_parquet(t, index=False)
        jsonls.append(str(j))
        rejs.append(str(r))
        toks.append(str(t))
    rv = reviews_table(jsonls, toks, None)
    rj = rejected_table(rejs)
    assert sorted(rv.file) + sorted(rj.file) == sorted(
        [f for f, (fate, _) in EXPECTED.items() if fate == "processed"]
    ) + sorted([f for f, (fate, _) in EXPECTED.items() if fate == "rejected"])
    assert list(rj.columns) == REJECTED_COLUMNS
    assert rv.set_index("file").loc["brunch-page.html", "date"] == "2024-03-14"
    assert rv.set_index("file").loc["cp949-short.txt", "encoding"] == "cp949"
    assert "little Korean" in rv.set_index("file").loc["english-only.md", "warnings"]


# ------------------------------------------------------------------ one bad file among good ones


def write(folder: Path, name: str, data: bytes) -> Path:
    p = folder / name
    p.write_bytes(data)
    return p


def test_binary_files_renamed_txt_are_rejected_and_others_processed(tmp_path):
    write(
        tmp_path, "report.pdf.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(500)
    )
    write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    write(tmp_path, "noise.txt", bytes((i * 7919) % 251 + 1 for i in range(5000)))
    write(tmp_path, "good.txt", KO.encode())
    reviews, rejected = ingest_files(list_input_files(tmp_path), MAX)
    assert [rv.source for rv in reviews] == ["good.txt"]
    reasons = {r["file"]: (r["reason"], r["detail"]) for r in rejected}
    assert reasons["report.pdf.txt"][0] == "binary" and "PDF" in reasons["report.pdf.txt"][1]
    assert reasons["photo.txt"][0] == "binary" and "PNG" in reasons["photo.txt"][1]
    assert reasons["noise.txt"][0] in ("binary", "undecodable")


def test_unexpected_exception_becomes_an_error_row(tmp_path, monkeypatch):
    write(tmp_path, "a.txt", KO.encode())
    write(tmp_path, "boom.txt", KO.encode())
    write(tmp_path, "c.txt", KO.encode())
    real = ingest.parse_review

    def flaky(review_id, text, footer=True):
        if review_id == "boom":
            raise KeyError("simulated bug")
        return real(review_id, text, footer)

    monkeypatch.setattr(ingest, "parse_review", flaky)
    reviews, rejected = ingest_files(list_input_files(tmp_path), MAX)
    assert [rv.review_id for rv in reviews] == ["a", "c"]
    assert rejected == [
        {"file": "boom.txt", "review_id": "boom", "reason": "error", "detail": "KeyError: 'simulated bug'"}
    ]


def test_duplicate_review_id_across_suffixes(tmp_path):
    write(tmp_path, "same.md", KO.encode())
    write(tmp_path, "same.txt", "다른 내용의 글입니다.".encode())
    reviews, rejected = ingest_files(list_input_files(tmp_path), MAX)
    assert [rv.source for rv in reviews] == ["same.md"]
    assert rejected[0]["file"] == "same.txt" and rejected[0]["reason"] == "duplicate_id"
    assert "same.md" in rejected[0]["detail"]


def test_unsupported_suffix_and_no_suffix(tmp_path):
    write(tmp_path, "README", KO.encode())
    write(tmp_path, "data.csv", KO.encode())
    reviews, rejected = ingest_files(list_input_files(tmp_path), MAX)
    assert not reviews
    assert {(r["file"], r["reason"]) for r in rejected} == {
        ("README", "unsupported_type"),
        ("data.csv", "unsupported_type"),
    }
    assert "(none)" in next(r["detail"] for r in rejected if r["file"] == "README")


# ------------------------------------------------------------------ size


def test_file_over_max_file_bytes_is_rejected_naming_the_limit(tmp_path):
    write(tmp_path, "big.txt", KO.encode() * 100)
    reviews, rejected = ingest_files([tmp_path / "big.txt"], max_bytes=1000)
    assert not reviews
    assert rejected[0]["reason"] == "too_large"
    assert "max_file_bytes 1000" in rejected[0]["detail"] and "config" in rejected[0]["detail"]


def test_read_never_reads_past_the_limit(tmp_path, monkeypatch):
    """A file that grows between stat and read is still cut off at the limit."""
    p = write(tmp_path, "grows.txt", KO.encode())
    real_stat = os.stat

    class Small:
        def __init__(self, st):
            self._st = st

        def __getattr__(self, k):
            return 10 if k == "st_size" else getattr(self._st, k)

    monkeypatch.setattr(ingest.os, "stat", lambda path, *a, **k: Small(real_stat(path, *a, **k)))
    with pytest.raises(ingest.RejectedInput) as e:
        ingest.read_input(p, max_bytes=20)
    assert e.value.reason == "too_large"


BIG_SCRIPT = """
import resource, sys, time
from valuechain.stages.tokens import ingest_files
t = time.perf_counter()
reviews, rejected = ingest_files([sys.argv[1]], int(sys.argv[2]))
dt = time.perf_counter() - t
print(len(reviews), len(rejected), len(reviews[0].text) if reviews else 0, round(dt, 2),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.parametrize("enc", ["utf-8", "cp949"])
def test_20_mb_file_is_processed_within_the_ingest_rule_memory(tmp_path, enc):
    """20 MB of Korean text: processed in a fresh process well under the rule's mem_mb=1000."""
    unit = (ROOT / "resources/reviews/ai-goldrush.txt").read_text(encoding="utf-8")
    unit = unit.encode("cp949", errors="replace").decode("cp949").replace("?", "")  # cp949-safe text
    data = unit.encode(enc)
    n = 20 * 1024 * 1024
    big = tmp_path / "big.txt"
    big.write_bytes(data * (n // len(data)))
    p = subprocess.run(
        [sys.executable, "-c", BIG_SCRIPT, str(big), str(MAX)], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert p.returncode == 0, p.stderr[-2000:]
    n_rev, n_rej, n_chars, seconds, peak_mb = p.stdout.split()
    assert (n_rev, n_rej) == ("1", "0")
    assert int(n_chars) > 5_000_000
    assert int(peak_mb) < 800, f"peak RSS {peak_mb} MB"  # includes ~200 MB of imports (spaCy, pandas)
    print(f"20 MB {enc}: {seconds} s, peak RSS {peak_mb} MB")


# ------------------------------------------------------------------ unreadable and non-regular entries


def test_permission_denied_is_rejected(tmp_path, monkeypatch):
    """Simulated: tests often run as root, for whom chmod 000 does not stop reading."""
    p = write(tmp_path, "locked.txt", KO.encode())
    write(tmp_path, "open.txt", KO.encode())
    real_open = os.open

    def deny(path, flags, *a, **k):
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(ingest.os, "open", deny)
    reviews, rejected = ingest_files(list_input_files(tmp_path), MAX)
    assert [rv.source for rv in reviews] == ["open.txt"]
    assert rejected == [
        {
            "file": "locked.txt",
            "review_id": "locked",
            "reason": "unreadable",
            "detail": "PermissionError: Permission denied",
        }
    ]
    assert p.exists()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="running as root: chmod 000 does not stop root from reading (see the simulated test)",
)
def test_chmod_000_is_rejected(tmp_path):
    p = write(tmp_path, "locked.txt", KO.encode())
    p.chmod(0)
    try:
        reviews, rejected = ingest_files([p], MAX)
    finally:
        p.chmod(0o644)
    assert not reviews and rejected[0]["reason"] == "unreadable"


def test_io_error_while_reading_is_rejected(tmp_path, monkeypatch):
    p = write(tmp_path, "bad-disk.txt", KO.encode())

    class Broken:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def fileno(self):
            return self.fh.fileno()

        def read(self, n):
            raise OSError(5, "Input/output error")

    real = os.fdopen
    monkeypatch.setattr(ingest.os, "fdopen", lambda fd, mode: Broken(real(fd, mode)))
    reviews, rejected = ingest_files([p], MAX)
    assert rejected[0]["reason"] == "unreadable" and "Input/output error" in rejected[0]["detail"]


def test_directory_broken_symlink_and_fifo_fail_even_for_root(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing-target.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever: must be refused, not opened
    write(tmp_path, "good.txt", KO.encode())
    entries = sorted(tmp_path.iterdir())
    reviews, rejected = ingest_files(entries, MAX)
    assert [rv.source for rv in reviews] == ["good.txt"]
    got = {r["file"]: (r["reason"], r["detail"]) for r in rejected}
    assert got["folder.txt"] == ("not_a_file", "is a directory, not a regular file")
    assert got["dangling.txt"][0] == "unreadable" and "broken symbolic link" in got["dangling.txt"][1]
    assert got["pipe.txt"] == ("not_a_file", "is a FIFO (named pipe), not a regular file")


def test_symlink_to_a_regular_file_is_read(tmp_path):
    target = write(tmp_path, "target.bin", KO.encode())
    (tmp_path / "link.txt").symlink_to(target)
    reviews, rejected = ingest_files([tmp_path / "link.txt"], MAX)
    assert [rv.review_id for rv in reviews] == ["link"] and not rejected


def test_non_regular_entries_are_listed_for_rejection(tmp_path):
    """Folders, broken links and hidden files are not Snakemake inputs, but ingest still rejects them."""
    from valuechain.corpus import list_other_entries

    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    write(tmp_path, ".hidden.txt", KO.encode())
    write(tmp_path, "good.txt", KO.encode())
    assert {p.name for p in list_input_files(tmp_path)} == {"good.txt"}
    others = list_other_entries(tmp_path)
    assert {p.name for p in others} == {"folder.txt", "dangling.txt", ".hidden.txt"}
    reviews, rejected = ingest_files(list_input_files(tmp_path) + others, MAX)
    assert [rv.review_id for rv in reviews] == ["good"]
    assert {r["file"]: r["reason"] for r in rejected} == {
        "folder.txt": "not_a_file",
        "dangling.txt": "unreadable",
        ".hidden.txt": "hidden",
    }


# ------------------------------------------------------------------ names


@pytest.mark.parametrize(
    "name, rid",
    [
        ("my review.txt", "my review"),
        ("골드러시 서평.txt", "골드러시 서평"),
        ("a.b.c.final.v2.md", "a.b.c.final.v2"),
        ("-rf.txt", "-rf"),
        ("line\nbreak.txt", "line\nbreak"),
        ('quote"comma,.txt', 'quote"comma,'),
    ],
)
def test_odd_file_names_are_processed_and_stay_in_the_tables(tmp_path, name, rid):
    folder = tmp_path / "reviews"
    folder.mkdir()
    write(folder, name, KO.encode())
    out = tmp_path / "out"
    out.mkdir()
    reviews, rejected = ingest_files([folder / name], MAX)
    assert [rv.review_id for rv in reviews] == [rid] and not rejected
    write_ingest(reviews, rejected, str(out / "r.jsonl"), str(out / "rej.csv"))
    tokens_frame([]).to_parquet(out / "t.parquet", index=False)
    # nothing but the two named outputs is written, wherever the id points
    assert sorted(p.name for p in out.iterdir()) == ["r.jsonl", "rej.csv", "t.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "reviews"]
    table = reviews_table([str(out / "r.jsonl")], [str(out / "t.parquet")], None)
    table.to_csv(out / "reviews.csv", index=False, lineterminator="\n")
    back = pd.read_csv(out / "reviews.csv", dtype=str, keep_default_na=False)
    assert list(back.review_id) == [rid] and list(back.file) == [name]


@pytest.mark.parametrize("name", ["..%2Fx.txt", "..%2F..%2Fetc%2Fpasswd.txt", ".DS_Store"])
def test_dot_names_are_rejected_as_hidden_and_write_nothing_outside(tmp_path, name):
    folder = tmp_path / "reviews"
    folder.mkdir()
    write(folder, name, KO.encode())
    reviews, rejected = ingest_files([folder / name], MAX)
    assert not reviews and [(r["file"], r["reason"]) for r in rejected] == [(name, "hidden")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reviews"]


def test_ids_never_become_paths():
    for rid in ["..%2Fx", "../x", "/etc/passwd", "..", "a/../../b", "\\..\\x", "", "\x00"]:
        assert shard_of(rid, 8) in {f"shard-{i:03d}" for i in range(8)}
        frag = safe_fragment(rid)
        assert "/" not in frag and "\\" not in frag and not frag.startswith(".") and frag
    assert review_id_for("resources/reviews/..%2Fx.txt") == "..%2Fx"


def test_no_workflow_path_is_built_from_a_review_id():
    """Output paths use only the shard wildcard (a hash), constrained to shard-NNN or shard-h<bits>."""
    import re

    suspect = {"review", "review_id", "rid", "id", "file", "filename", "name", "stem", "source"}
    wildcards = set()
    for smk in (ROOT / "workflow" / "rules").glob("*.smk"):
        text = smk.read_text(encoding="utf-8")
        wildcards |= set(re.findall(r"\{\{(\w+)\}\}", text))  # f"...{{wildcard}}..."
        wildcards |= set(re.findall(r"\{(\w+)\}", text)) & suspect  # plain "...{wildcard}..." strings
    assert "shard" in wildcards
    assert not wildcards & suspect, "a review id or file name must never become part of a path"
    common = (ROOT / "workflow" / "rules" / "common.smk").read_text(encoding="utf-8")
    assert 'shard=r"shard-(?:\\d\\d\\d+|h[01]*)"' in common  # shard-NNN (a pinned count) or a hash prefix


def test_undecodable_file_name_is_rejected_not_crashing(tmp_path):
    name = os.fsdecode(b"bad-\xff-name.txt")  # Latin-1 byte in a Linux file name
    try:
        (tmp_path / name).write_bytes(KO.encode())
    except (OSError, UnicodeEncodeError):
        pytest.skip("file system refuses non-UTF-8 names")
    write(tmp_path, "good.txt", KO.encode())
    from valuechain.corpus import list_other_entries

    # not a Snakemake input (its lock file is UTF-8): passed to the shard job as another entry, as the workflow does
    assert [p.name for p in list_input_files(tmp_path)] == ["good.txt"]
    reviews, rejected = ingest_files(list_input_files(tmp_path) + list_other_entries(tmp_path), MAX)
    assert [rv.source for rv in reviews] == ["good.txt"]
    assert rejected[0]["reason"] == "bad_name" and rejected[0]["file"] == "bad-\\xff-name.txt"
    write_ingest(reviews, rejected, str(tmp_path / "r.jsonl"), str(tmp_path / "rej.csv"))  # writable
    assert "bad-\\xff-name.txt" in (tmp_path / "rej.csv").read_text(encoding="utf-8")


# ------------------------------------------------------------------ duplicates and dates in reviews.csv


def _tables(tmp_path, reviews, rejected, sheet=None):
    write_ingest(reviews, rejected, str(tmp_path / "r.jsonl"), str(tmp_path / "rej.csv"))
    tokens_frame([]).to_parquet(tmp_path / "t.parquet", index=False)
    return reviews_table([str(tmp_path / "r.jsonl")], [str(tmp_path / "t.parquet")], sheet)


def test_same_content_under_two_names_is_flagged_duplicate(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "original.txt", KO.encode())
    write(folder, "copy of original.txt", KO.encode())
    write(folder, "other.txt", "다른 글이다.".encode())
    reviews, rejected = ingest_files(list_input_files(folder), MAX)
    assert len(reviews) == 3 and not rejected  # both processed; the table says which is the copy
    df = _tables(tmp_path, reviews, rejected).set_index("review_id")
    assert df.loc["original", "duplicate_of"] == "copy of original"  # first id in sort order is kept
    assert df.loc["copy of original", "duplicate_of"] == ""
    assert df.loc["other", "duplicate_of"] == ""


def test_same_text_in_two_encodings_is_not_a_byte_duplicate(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.txt", KO.encode("utf-8"))
    write(folder, "b.txt", KO.encode("cp949"))
    reviews, _ = ingest_files(list_input_files(folder), MAX)
    assert reviews[0].text == reviews[1].text
    df = _tables(tmp_path, reviews, [])
    assert set(df.duplicate_of) == {""}  # sha256 is of the bytes (provenance), not of the text


def test_page_date_fills_the_date_column_unless_the_sheet_has_one(tmp_path):
    reviews, rejected = ingest_files(
        [FIX / "brunch-page.html", FIX / "utf8-plain.txt", FIX / "news-article-euckr.htm"], MAX
    )
    sheet = pd.DataFrame(
        {
            "review_id": ["brunch-page", "utf8-plain", "news-article-euckr"],
            "url": ["https://brunch.co.kr/@example/42", "", ""],
            "date": ["", "2022-01-01", "2024-01-01"],
            "notes": ["", "", ""],
        }
    )
    df = _tables(tmp_path, reviews, rejected, sheet).set_index("review_id")
    assert df.loc["brunch-page", "date"] == "2024-03-14"  # from the page
    assert df.loc["utf8-plain", "date"] == "2022-01-01"  # from the sheet
    assert df.loc["news-article-euckr", "date"] == "2024-01-01"  # sheet wins over the page ...
    assert "differs from the date in the file 2023-11-02" in df.loc["news-article-euckr", "warnings"]  # ... noted
    no_sheet = _tables(tmp_path, reviews, rejected).set_index("review_id")
    assert no_sheet.loc["news-article-euckr", "date"] == "2023-11-02"


def test_fetched_pages_carry_fetched_at_and_a_changed_file_is_noted(tmp_path):
    """Sheet columns written by ``valuechain add``: fetched_at reaches reviews.csv; a file whose
    bytes no longer match the sha256 of the fetched page gets a warning (the file's own sha256 stays)."""
    reviews, rejected = ingest_files([FIX / "brunch-page.html", FIX / "utf8-plain.txt"], MAX)
    page_sha = next(rv.sha256 for rv in reviews if rv.review_id == "brunch-page")
    sheet = pd.DataFrame(
        {
            "review_id": ["brunch-page", "utf8-plain"],
            "url": ["https://brunch.co.kr/@example/42", "https://example.com/x"],
            "date": ["", ""],
            "notes": ["", ""],
            "fetched_at": ["2025-01-02T03:04:05Z", "2025-02-03T04:05:06Z"],
            "sha256": [page_sha, "0" * 64],
        }
    )
    df = _tables(tmp_path, reviews, rejected, sheet).set_index("review_id")
    assert list(df.columns) == REVIEW_COLUMNS[1:]
    assert df.loc["brunch-page", "fetched_at"] == "2025-01-02T03:04:05Z"
    assert df.loc["brunch-page", "warnings"] == "" and df.loc["brunch-page", "sha256"] == page_sha
    assert df.loc["utf8-plain", "fetched_at"] == "2025-02-03T04:05:06Z"
    assert (
        "file differs from the page fetched at 2025-02-03T04:05:06Z (sheet sha256 000000000000"
        in (df.loc["utf8-plain", "warnings"])
    )
    assert df.loc["utf8-plain", "sha256"] != "0" * 64  # the file's own hash
    # a sheet with only some columns still works; the others are empty
    old = _tables(tmp_path, reviews, rejected, sheet[["review_id", "url"]]).set_index("review_id")
    assert set(old.fetched_at) == {""} and set(old.notes) == {""} and old.loc["brunch-page", "date"] == "2024-03-14"


def test_old_jsonl_without_date_still_loads(tmp_path):
    rv = ingest.ingest_bytes("x", KO.encode(), source="x.txt").to_dict()
    del rv["date"]
    rv["field_from_the_future"] = 1
    (tmp_path / "r.jsonl").write_text(json.dumps(rv, ensure_ascii=False) + "\n", encoding="utf-8")
    tokens_frame([]).to_parquet(tmp_path / "t.parquet", index=False)
    df = reviews_table([str(tmp_path / "r.jsonl")], [str(tmp_path / "t.parquet")], None)
    assert df.loc[0, "date"] == ""


# ------------------------------------------------------------------ the ingest rule's script


def test_shard_rule_script_on_a_shard_of_bad_files_exits_0(tmp_path):
    """workflow/scripts/analyze_shard.py itself, given a fake ``snakemake`` object: exit 0, every file a row."""
    from valuechain.relations import DEFAULT_CONSTRUCTIONS

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIX / "empty.txt", folder)
    write(folder, "x.pdf.txt", b"%PDF-1.4\n")
    write(folder, "ok.txt", KO.encode())
    out = {
        n: str(tmp_path / f"{n}.{ext}")
        for n, ext in (
            ("reviews", "jsonl"),
            ("rejected", "csv"),
            ("tokens", "parquet"),
            ("mentions", "parquet"),
            ("relations", "parquet"),
            ("links", "parquet"),
            ("sentence_nouns", "parquet"),
            ("layer_features", "parquet"),
        )
    }
    code = f"""
import runpy
from types import SimpleNamespace as NS
sm = NS(input=NS(files={[str(p) for p in sorted(folder.iterdir())]!r}, userdict="resources/kiwi_userdict.tsv",
                 gazetteer="resources/gazetteer.tsv", model="resources/models/ner_types.npz",
                 stoplist="resources/stoplist.txt", roles="config/roles.yaml", eras="config/eras.yaml", links="config/links.yaml", confidence="config/confidence.yaml",
                 taxonomy="config/taxonomy.yaml"),
        output=NS(**{out!r}),
        params=NS(max_bytes={MAX}, others=[], code="test", kiwi={{"model_type": "cong"}}, min_prob=0.35,
                  common_nouns=False, cache=True, batch_size=64, constructions={DEFAULT_CONSTRUCTIONS!r},
                      layer_words=[]),
        log=[{str(tmp_path / "ingest.log")!r}], threads=1)
runpy.run_path("workflow/scripts/analyze_shard.py", init_globals={{"snakemake": sm}})
"""
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    rej = pd.read_csv(tmp_path / "rejected.csv", dtype=str, keep_default_na=False)
    assert sorted(zip(rej.file, rej.reason)) == [("empty.txt", "empty"), ("x.pdf.txt", "binary")]
    assert set(pd.read_parquet(tmp_path / "tokens.parquet")["review_id"]) == {"ok"}
    assert (tmp_path / "cache" / "index.json").exists()
    lines = (tmp_path / "reviews.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["source"] for x in lines] == ["ok.txt"]
    log = (tmp_path / "ingest.log").read_text(encoding="utf-8")
    assert "rejected" in log and "PDF" in log
