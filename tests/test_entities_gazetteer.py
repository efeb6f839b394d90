"""The gazetteer kept in the cache folder: the stored trie is the built one, and another
register (or a damaged file) never gives a stale trie."""

from __future__ import annotations

from pipeline.entities.gazetteer import gazetteer_key, load_gazetteer
from pipeline.entities.matcher import tokenize
from pipeline.entities.rules import build_gazetteer


def _found(trie, text: str) -> list:
    return [(i, j, list(values)) for i, j, values in trie.find(tokenize(text))]


TEXT = "From Hanoi to Paris by way of Tokyo, Dresden and TIRANA."


def test_stored_trie_is_the_built_one(tmp_path):
    keys = {("Hanoi",)}
    built = load_gazetteer(keys, tmp_path)
    assert len(list(tmp_path.iterdir())) == 1
    stored = load_gazetteer(keys, tmp_path)  # read back from the folder
    assert _found(stored, TEXT) == _found(built, TEXT) == _found(build_gazetteer(keys), TEXT)
    assert _found(stored, TEXT)  # the text has places of GeoNames in it


def test_other_register_names_give_another_trie(tmp_path):
    assert gazetteer_key({("Paris",)}) != gazetteer_key({("Tokyo",)})
    with_paris = load_gazetteer(set(), tmp_path)
    without_paris = load_gazetteer({("Paris",)}, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [f"{gazetteer_key({('Paris',)})}.pickle"]
    assert any(v[0][0] == "Paris" for _i, _j, v in _found(with_paris, "in Paris"))
    assert not _found(without_paris, "in Paris")


def test_damaged_file_is_built_again(tmp_path):
    keys = {("Hanoi",)}
    path = tmp_path / f"{gazetteer_key(keys)}.pickle"
    path.write_bytes(b"not a trie")
    assert _found(load_gazetteer(keys, tmp_path), TEXT) == _found(build_gazetteer(keys), TEXT)
    assert path.read_bytes() != b"not a trie"


def test_setup_builds_it_ahead(tmp_path):
    from pathlib import Path

    from pipeline.entities.gazetteer import prepare, register_keys
    from pipeline.entities.register import load_register
    register = Path("source/register.xml")
    said = prepare(register, tmp_path)
    keys = register_keys(load_register(register)[0])
    assert said == str(tmp_path / f"{gazetteer_key(keys)}.pickle")
    assert prepare(register, tmp_path).endswith("(up to date)")
