"""Shards chosen for the corpus: hash-prefix buckets that split, so a growing corpus moves few reviews."""

import random
from pathlib import Path

import pytest

from valuechain.corpus import BUCKET_PREFIX, bucket_shards, files_by_shard, related_buckets, shard_of


def ids(n: int, start: int = 0, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [f"review-{i:06d}-{rng.randrange(10**6)}" for i in range(start, start + n)]


def bits(shard: str) -> str:
    return shard[len(BUCKET_PREFIX) :]


@pytest.mark.parametrize("n, limit", [(0, 500), (1, 500), (500, 500), (501, 500), (1000, 500), (10_000, 500), (50, 7)])
def test_every_shard_holds_at_most_the_limit_and_splits_only_when_needed(n, limit):
    where = bucket_shards(ids(n), limit)
    sizes: dict[str, int] = {}
    for s in where.values():
        sizes[s] = sizes.get(s, 0) + 1
    assert all(v <= limit for v in sizes.values()), sizes
    assert all(set(bits(s)) <= {"0", "1"} for s in sizes)
    # a bucket exists only because its parent was too big: parent size = sum over its leaves > limit
    for s in sizes:
        if bits(s):
            parent = bits(s)[:-1]
            assert sum(v for t, v in sizes.items() if bits(t).startswith(parent)) > limit, s
    if n <= limit:
        assert set(sizes) <= {BUCKET_PREFIX}


def test_mapping_depends_on_the_set_of_ids_not_their_order():
    a = ids(3000)
    b = list(reversed(a))
    random.Random(1).shuffle(b)
    assert bucket_shards(a, 500) == bucket_shards(b, 500)


@pytest.mark.parametrize("n, added", [(1000, 1), (1000, 600), (4000, 3000), (499, 2)])
def test_adding_reviews_moves_only_the_reviews_of_split_buckets(n, added):
    old_ids = ids(n)
    before = bucket_shards(old_ids, 500)
    after = bucket_shards(old_ids + ids(added, start=n, seed=9), 500)
    split = set()
    for r in old_ids:
        if before[r] != after[r]:
            # moved only down into a half of its old bucket, never sideways
            assert bits(after[r]).startswith(bits(before[r])) and len(bits(after[r])) > len(bits(before[r])), r
            split.add(before[r])
    # a bucket that did not split keeps every one of its reviews
    for r in old_ids:
        if before[r] not in split:
            assert after[r] == before[r]
    moved = sum(before[r] != after[r] for r in old_ids)
    assert moved <= sum(1 for r in old_ids if before[r] in split)
    if added == 1:  # one more review splits at most its own bucket
        assert len(split) <= 1


def test_one_more_review_to_1000_keeps_most_reviews_in_place():
    old_ids = ids(1000)
    before = bucket_shards(old_ids, 500)
    for extra in ids(50, start=1000, seed=5):
        after = bucket_shards(old_ids + [extra], 500)
        moved = [r for r in old_ids if before[r] != after[r]]
        assert len(moved) <= 500


def test_pinned_count_is_the_hash_modulo():
    files = [Path(f"/x/{r}.txt") for r in ids(200)]
    got = files_by_shard(files, 8)
    assert len(got) == 8 and sum(map(len, got.values())) == 200
    for shard, fs in got.items():
        assert all(shard_of(f.stem, 8) == shard for f in fs)


def test_default_is_automatic_and_one_shard_for_a_small_corpus():
    files = [Path(f"/x/{r}.txt") for r in ids(30)]
    assert list(files_by_shard(files, 0)) == [BUCKET_PREFIX]
    many = [Path(f"/x/{r}.md") for r in ids(1200)]
    got = files_by_shard(many, 0, 500)
    assert all(len(v) <= 500 for v in got.values()) and 3 <= len(got) <= 4


def test_the_same_id_twice_stays_together():
    files = [Path(f"/x/{r}.txt") for r in ids(600)] + [Path("/x/review-000001-0.md"), Path("/x/review-000001-0.txt")]
    got = files_by_shard(files, 0, 500)
    homes = [s for s, fs in got.items() if any(f.stem == "review-000001-0" for f in fs)]
    assert len(homes) == 1


def test_related_buckets_are_ancestors_then_descendants():
    names = ["shard-h", "shard-h0", "shard-h01", "shard-h011", "shard-h1", "shard-h0110", "shard-005", "cache"]
    assert related_buckets("shard-h01", names) == ["shard-h0", "shard-h", "shard-h011", "shard-h0110"]
    assert related_buckets("shard-h1", names) == ["shard-h"]
    assert related_buckets("shard-005", names) == []
