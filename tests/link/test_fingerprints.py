"""Candidate generation: shingles, anchors across scripts, and the embedding / anchor indexes."""

from __future__ import annotations

import numpy as np

from storydesk.link.fingerprints import (
    AnchorIndex,
    ShingleIndex,
    VectorIndex,
    anchor_keys,
    consonant_skeleton,
    minhash,
    normalise_words,
    shingles,
)

TEXT = (
    "The acting governor of the Khabarovsk Region called on journalists not to demonize the people "
    "of Khabarovsk in connection with the rallies supporting the arrested former head of the region. "
    "He said that hard-working and wonderful people live there, and wished the former governor luck "
    "in court, adding that the party would support him during the trial in the regional capital."
)


def test_fingerprints_consonant_skeleton_matches_across_scripts() -> None:
    assert consonant_skeleton("Дегтярева") == consonant_skeleton("Degtyarev")
    assert consonant_skeleton("Трамп") == consonant_skeleton("Trump")
    assert consonant_skeleton("Хабаровского") == consonant_skeleton("Khabarovsk")
    assert consonant_skeleton("Sergei") != consonant_skeleton("Kislyak")


def test_fingerprints_anchor_keys_keep_numbers_and_names() -> None:
    russian = anchor_keys("Михаил Дегтярев заявил, что 222 570 человек погибли в 2010 году.")
    english = anchor_keys("Mikhail Degtyarev said that 222,570 people died in 2010.")
    shared = russian & english
    assert "#2010" in shared
    assert consonant_skeleton("Degtyarev") in shared
    assert "#5" not in english  # single digits are too common to be anchors


def test_fingerprints_shingle_index_finds_edited_copy_not_unrelated() -> None:
    edited = TEXT.replace("wonderful", "remarkable") + " Share this article."
    unrelated = (
        "Heavy rain flooded several streets in the city centre on Monday, and the fire brigade pumped "
        "water out of basements while the council promised to inspect the drains before the winter."
    )
    index = ShingleIndex(threshold=0.5, num_perm=128)
    for key, text in {"a": TEXT, "b": edited, "c": unrelated}.items():
        index.insert(key, minhash(shingles(normalise_words(text), 5), 128))
    assert index.pairs() == {("a", "b")}


def test_fingerprints_vector_index_pairs_near_vectors_only() -> None:
    rng = np.random.default_rng(0)
    base = rng.standard_normal((40, 64)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    noisy = base[:5] + 0.02 * rng.standard_normal((5, 64)).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    index = VectorIndex(min_cosine=0.9, recall=0.99, bucket_target=4, max_tables=64, max_bucket=100)
    for i, row in enumerate(base):
        index.add(f"doc{i}", row[None, :])
    for i, row in enumerate(noisy):
        index.add(f"copy{i}", row[None, :])
    pairs = index.pairs()
    assert {("copy0", "doc0"), ("copy1", "doc1"), ("copy2", "doc2"), ("copy3", "doc3"), ("copy4", "doc4")} <= set(pairs)
    # random 64-d vectors are nearly orthogonal: none of them may pair up
    assert all(a.startswith("copy") for a, _ in pairs)


def test_fingerprints_vector_index_grows_bits_with_size() -> None:
    index = VectorIndex(min_cosine=0.8, recall=0.9, bucket_target=16, max_tables=64, max_bucket=100)
    small_tables, small_bits = index.shape(1_000)
    large_tables, large_bits = index.shape(1_000_000)
    assert large_bits > small_bits
    assert large_tables >= small_tables


def test_fingerprints_anchor_index_pairs_only_across_groups() -> None:
    index = AnchorIndex(top_k=5, min_score=0.2, max_df=10)
    index.add("ru1", anchor_keys("Дегтярев и Фургал встретились в Хабаровске 12 июля 2020 года."), "ru")
    index.add("en1", anchor_keys("Degtyarev and Furgal met in Khabarovsk on 12 July 2020."), "en")
    index.add("en2", anchor_keys("Degtyarev spoke to Furgal in Khabarovsk on 12 July 2020."), "en")
    index.add("en3", anchor_keys("The Fed raised rates in Washington by 25 points in 1994."), "en")
    pairs = index.pairs()
    assert ("en1", "ru1") in pairs and ("en2", "ru1") in pairs
    assert ("en1", "en2") not in pairs  # same group: left to the shingle and vector indexes
    assert not any("en3" in pair for pair in pairs)
