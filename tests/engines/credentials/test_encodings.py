"""Multibase, Multikey, did:key and Bitstring Status List encodings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edubridge.engines.credentials.did import (
    DidError,
    resolve_verification_method,
    verification_method_for,
)
from edubridge.engines.credentials.multibase import (
    MultibaseError,
    base58_decode,
    base58_encode,
    multibase_decode,
    public_key_from_multibase,
    public_key_multibase,
)
from edubridge.engines.credentials.status_list import (
    MIN_ENTRIES,
    StatusListError,
    bit_is_set,
    decode_bits,
    encode_bits,
)


@given(st.binary(max_size=80))
def test_base58_round_trips_any_bytes(data: bytes) -> None:
    assert base58_decode(base58_encode(data)) == data


def test_base58_keeps_leading_zero_bytes() -> None:
    assert base58_encode(b"\x00\x00\x01") == "112"


def test_base58_refuses_characters_outside_the_alphabet() -> None:
    with pytest.raises(MultibaseError, match="not a base58btc character"):
        base58_decode("0OIl")


def test_an_unknown_multibase_prefix_is_refused() -> None:
    with pytest.raises(MultibaseError, match="unsupported multibase prefix"):
        multibase_decode("m AAAA")


@given(st.binary(min_size=32, max_size=32))
def test_ed25519_public_keys_are_z6mk_multikeys(raw: bytes) -> None:
    text = public_key_multibase(raw)
    assert text.startswith("z6Mk")
    assert public_key_from_multibase(text) == raw
    assert resolve_verification_method(verification_method_for(raw)) == raw


def test_a_did_web_without_its_document_does_not_resolve_and_nothing_is_fetched() -> None:
    with pytest.raises(DidError, match="network is never used"):
        resolve_verification_method("did:web:node.example#key-1")


def test_a_did_key_with_a_mismatched_fragment_is_refused() -> None:
    first, second = public_key_multibase(b"\x01" * 32), public_key_multibase(b"\x02" * 32)
    with pytest.raises(DidError, match="fragment"):
        resolve_verification_method(f"did:key:{first}#{second}")


@given(
    st.sets(st.integers(min_value=0, max_value=MIN_ENTRIES - 1), max_size=20),
    st.integers(0, MIN_ENTRIES - 1),
)
def test_exactly_the_revoked_bits_are_set(revoked: set[int], probe: int) -> None:
    encoded = encode_bits(revoked)
    assert encoded.startswith("u")
    assert bit_is_set(encoded, probe) == (probe in revoked)


def test_bit_zero_is_the_most_significant_bit_of_the_first_byte() -> None:
    assert decode_bits(encode_bits({0}))[0] == 0x80


def test_a_status_list_has_at_least_16_kib() -> None:
    assert len(decode_bits(encode_bits(set()))) == 16 * 1024


def test_an_index_outside_the_list_is_refused() -> None:
    with pytest.raises(StatusListError, match="outside"):
        encode_bits({MIN_ENTRIES})
