"""``teipipe deposit`` on the command line: bad input gives one line naming the file, nothing
already written is lost, and the exit status says how it went."""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

from deposit_edition import tree_bytes


@pytest.fixture
def edition(deposit_edition: Path, tmp_path: Path) -> Path:
    root = tmp_path / "edition"
    shutil.copytree(deposit_edition, root)
    return root


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["deposit", *args],
                              env={"SOURCE_DATE_EPOCH": "1700000000", **(env or {})})


def test_the_default_output_is_build_deposit_and_a_rerun_replaces_it(edition: Path) -> None:
    first = run(str(edition), "--archive", "zip")
    assert first.exit_code == 0, first.output
    bag = edition / "build" / "deposit"
    assert (bag / "bagit.txt").is_file() and (edition / "build" / "deposit.zip").is_file()
    assert "12 documents" in first.output
    before = tree_bytes(bag)
    (edition / "tei" / "1967-01-23_politburo-cable.xml").write_bytes(
        (edition / "tei" / "1967-01-23_politburo-cable.xml").read_bytes() + b"\n")
    assert run(str(edition)).exit_code == 0
    after = tree_bytes(bag)
    changed = {k for k in before if before[k] != after[k]}
    assert "data/tei/1967-01-23_politburo-cable.xml" in changed
    assert not list(bag.parent.glob(".deposit.*"))  # no staging folder left behind


def test_the_saf_format_goes_to_build_dspace_saf(edition: Path) -> None:
    result = run(str(edition), "--format", "dspace-saf")
    assert result.exit_code == 0, result.output
    assert (edition / "build" / "dspace-saf" / "06_lavrentiev-cable-tehran" / "contents").exists()


def test_a_folder_teipipe_did_not_make_is_not_replaced_unless_forced(edition: Path,
                                                                     tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"precious")
    result = run(str(edition), "-o", str(mine))
    assert result.exit_code == 1
    assert f"{mine}: error: the output folder holds something that is not a package " \
           "teipipe made; not replaced [E503]" in result.output
    assert (mine / "thesis.docx").read_bytes() == b"precious"
    assert run(str(edition), "-o", str(mine), "--force").exit_code == 0
    assert (mine / "bagit.txt").exists() and not (mine / "thesis.docx").exists()


def test_a_broken_tei_file_is_named_with_its_line_and_nothing_is_written(edition: Path) -> None:
    assert run(str(edition)).exit_code == 0
    bag = edition / "build" / "deposit"
    before = tree_bytes(bag)
    broken = edition / "tei" / "07_zhou-subandrio-minutes.xml"
    broken.write_text("<?xml version='1.0'?>\n<TEI>\n<teiHeader>\n</TEI>\n")
    result = run(str(edition))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1
    assert errors[0].startswith(f"{broken}:4: error: not well-formed XML")
    assert errors[0].endswith("[E502]")
    assert "Traceback" not in result.output
    assert "no package written" in result.output
    assert tree_bytes(bag) == before


def test_a_tei_file_broken_after_its_header_is_refused_too(edition: Path) -> None:
    """A package must not carry a TEI file that is not well-formed anywhere in it, not
    only in the header the deposit reads its facts from."""
    assert run(str(edition)).exit_code == 0
    bag = edition / "build" / "deposit"
    before = tree_bytes(bag)
    broken = edition / "tei" / "07_zhou-subandrio-minutes.xml"
    lines = broken.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "</body>" in line)
    lines[at] = lines[at].replace("</body>", "</bdy>", 1)
    broken.write_text("".join(lines), encoding="utf-8")
    result = run(str(edition))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].endswith("[E502]")
    assert errors[0].startswith(f"{broken}:{at + 1}: error: not well-formed XML")
    assert tree_bytes(bag) == before


def test_the_output_may_not_lie_in_the_edition(edition: Path) -> None:
    result = run(str(edition), "-o", str(edition / "build"))
    assert result.exit_code == 1 and "[E508]" in result.output
    assert (edition / "build" / "html" / "index.html").exists()


def test_missing_edition_metadata_and_editions_are_warnings(edition: Path) -> None:
    (edition / "edition.toml").unlink()
    shutil.rmtree(edition / "build" / "html")
    result = run(str(edition))
    assert result.exit_code == 0
    assert "edition.toml: warning: no edition.toml" in result.output
    assert "build/html: warning: nothing in build/html/" in result.output
    assert run(str(edition), "--strict").exit_code == 1


def test_without_the_schemas_the_package_is_made_and_the_gap_is_said(edition: Path,
                                                                     tmp_path: Path) -> None:
    result = run(str(edition), env={"TEIPIPE_ASSETS": str(tmp_path / "empty-cache")})
    assert result.exit_code == 0
    assert "METS and Dublin Core not checked against their schemas" in result.output
    assert "[W503]" in result.output


def test_an_empty_edition_is_an_error(tmp_path: Path) -> None:
    result = run(str(tmp_path))
    assert result.exit_code == 1 and "no TEI files" in result.output


def test_verify_of_something_that_does_not_exist(tmp_path: Path) -> None:
    result = run("--verify", str(tmp_path / "nothing"))
    assert result.exit_code == 1 and "[E514]" in result.output


def test_a_document_without_its_html_is_named(edition: Path) -> None:
    (edition / "build" / "html" / "10_desai-letter-nehru.html").unlink()
    result = run(str(edition))
    assert result.exit_code == 0
    assert f"{edition / 'tei' / '10_desai-letter-nehru.xml'}: warning: no HTML edition file " \
           "for this document [W504]" in result.output


def test_an_edition_without_a_depositor_gets_one_warning_naming_what_to_fill_in(
        edition: Path) -> None:
    (edition / "edition.toml").write_text('[edition]\ntitle = "T"\nidentifier = "i"\n'
                                          '[depositor]\norganization = "Univ"\n',
                                          encoding="utf-8")
    result = run(str(edition))
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "[W502]" in line]
    assert lines == [f"{edition / 'edition.toml'}: warning: depositor.contact-name, "
                     "depositor.contact-email not set: repository managers need them [W502]"]
    assert run(str(edition), "--strict").exit_code == 1


def test_a_warning_both_packages_find_is_said_once_and_quiet_hides_it(edition: Path) -> None:
    (edition / "edition.toml").write_text('[edition]\ntitle = "T"\nidentifier = "i"\n',
                                          encoding="utf-8")
    both = ("--format", "bagit", "--format", "dspace-saf")
    loud = run(str(edition), *both)
    assert loud.exit_code == 0, loud.output
    assert loud.output.count("[W502]") == 1 and loud.output.count("12 documents") == 2
    quiet = run(str(edition), *both, "-q")
    assert quiet.exit_code == 0 and "[W502]" not in quiet.output
    assert quiet.output.count("12 documents") == 2
    assert run(str(edition), *both, "-q", "--strict").exit_code == 1


def test_both_formats_in_one_run_are_the_packages_two_runs_make(edition: Path,
                                                                 tmp_path: Path) -> None:
    """One run shares reading, hashing, parsing and deflating between the two packages;
    what it writes must be byte for byte what a run per format writes (each run with a
    cache of its own, so neither takes anything over from the other)."""
    apart = tmp_path / "apart"
    shutil.copytree(edition, apart)
    both = run(str(edition), "--format", "bagit", "--format", "dspace-saf", "--archive", "zip",
               env={"TEIPIPE_CACHE": str(tmp_path / "cache-one")})
    assert both.exit_code == 0, both.output
    assert both.output.count("12 documents") == 2
    for fmt in ("bagit", "dspace-saf"):
        alone = run(str(apart), "--format", fmt, "--archive", "zip",
                    env={"TEIPIPE_CACHE": str(tmp_path / f"cache-{fmt}")})
        assert alone.exit_code == 0, alone.output
    for name in ("deposit", "dspace-saf"):
        assert tree_bytes(edition / "build" / name) == tree_bytes(apart / "build" / name)
        assert (edition / "build" / f"{name}.zip").read_bytes() == \
               (apart / "build" / f"{name}.zip").read_bytes()


def test_the_compress_level_changes_the_zip_only_and_a_new_level_makes_it_again(
        edition: Path, tmp_path: Path) -> None:
    """The level trades time for size: the folder and what the zip unpacks to stay the
    same; a deposit at another level makes the zip again, as one from nothing would."""
    fresh = tmp_path / "fresh"
    shutil.copytree(edition, fresh)
    zip_path = edition / "build" / "deposit.zip"
    assert run(str(edition), "--archive", "zip").exit_code == 0
    folder, default = tree_bytes(edition / "build" / "deposit"), zip_path.read_bytes()
    result = run(str(edition), "--archive", "zip", "--compress-level", "9")
    assert result.exit_code == 0, result.output
    assert tree_bytes(edition / "build" / "deposit") == folder
    assert len(zip_path.read_bytes()) < len(default)
    assert unpacked(zip_path.read_bytes()) == unpacked(default)
    assert run(str(fresh), "--archive", "zip", "--compress-level", "9",
               env={"TEIPIPE_CACHE": str(tmp_path / "cache-fresh")}).exit_code == 0
    assert (fresh / "build" / "deposit.zip").read_bytes() == zip_path.read_bytes()
    assert run(str(edition), "--archive", "zip", "--compress-level", "10").exit_code == 2
    saf = edition / "build" / "dspace-saf" / "06_lavrentiev-cable-tehran" / "contents"
    assert run(str(edition), "--format", "dspace-saf").exit_code == 0
    made = saf.stat().st_ino, saf.stat().st_mtime_ns
    assert run(str(edition), "--format", "dspace-saf", "--compress-level", "1").exit_code == 0
    assert (saf.stat().st_ino, saf.stat().st_mtime_ns) == made  # no archive: nothing to redo


def unpacked(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def test_one_output_folder_takes_one_format(edition: Path, tmp_path: Path) -> None:
    result = run(str(edition), "-o", str(tmp_path / "out"), "--format", "bagit",
                 "--format", "dspace-saf")
    assert result.exit_code == 2
    assert "-o names one package folder: give one --format with it" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("formats, failing", [
    (("bagit",), "deposit"), (("bagit", "dspace-saf"), "deposit"),
    (("bagit", "dspace-saf"), "dspace-saf")],
    ids=["one package", "two: the first zip is written beside the second",
         "two: the last zip is written beside the records"])
def test_an_archive_that_cannot_be_written_is_one_error_line(
        edition: Path, formats: tuple[str, ...], failing: str) -> None:
    """A folder where the zip should go stands for a full disk or a folder not writable;
    archives are written in a child process (pipeline/deposit/background).  The package
    whose archive failed is made again by the next run, archive and all."""
    (edition / "build" / f"{failing}.zip").mkdir(parents=True)
    result = run(str(edition), *(f"--format={f}" for f in formats), "--archive", "zip")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].endswith("[E509]"), result.output
    assert f"{failing}.zip" in errors[0] and "cannot write the archive" in errors[0]
    assert "Traceback" not in result.output
    assert f"{failing}.zip\n" not in result.output  # not said to be made
    assert (edition / "build" / "deposit" / "bagit.txt").is_file()  # the folder is made
    (edition / "build" / f"{failing}.zip").rmdir()
    assert run(str(edition), *(f"--format={f}" for f in formats), "--archive",
               "zip").exit_code == 0
    assert zipfile.is_zipfile(edition / "build" / f"{failing}.zip")


def test_a_level_whose_library_is_missing_is_one_error_line_and_level_0_still_works(
        edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Levels 1-9 are libdeflate's (the deflate package, which ``make setup`` installs)."""
    from pipeline.deposit.deflate import deflate
    monkeypatch.setitem(sys.modules, "deflate", None)  # import deflate fails
    deflate.cache_clear()
    try:
        result = run(str(edition), "--archive", "zip")
        assert result.exit_code == 1
        errors = [line for line in result.output.splitlines() if "error: " in line]
        assert len(errors) == 1 and errors[0].endswith("[E510]"), result.output
        assert "needs the deflate package" in errors[0] and "Traceback" not in result.output
        assert not (edition / "build" / "deposit").exists()  # nothing made
        assert run(str(edition), "--archive", "zip", "--compress-level", "0").exit_code == 0
        assert run(str(edition)).exit_code == 0  # no archive: no deflate
    finally:
        deflate.cache_clear()
