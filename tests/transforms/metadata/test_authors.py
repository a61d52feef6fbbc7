import pytest

from transforms.metadata.authors import split_authors
from transforms.metadata.name_parts import is_credential, normalise_name, swap_last_first


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Doe and John Roe, Staff Writers", ["Jane Doe", "John Roe"]),
        ("Jane Doe, John Roe & Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"]),
        ("Jane Doe; John Roe", ["Jane Doe", "John Roe"]),
        ("BY JANE DOE | Updated May 3, 2024", ["Jane Doe"]),
        ("Written by: Jane Doe", ["Jane Doe"]),
        ("ByJane Doe", ["Jane Doe"]),
        ("Jane Doe, Senior Political Reporter", ["Jane Doe"]),
        ("Staff Writer Jane Doe", ["Jane Doe"]),
        ("Jane Doe, MD, PhD", ["Jane Doe"]),
        ("Jane Doe, Ph.D.", ["Jane Doe"]),
        ("Jane Q. Doe RD", ["Jane Q. Doe"]),
        ("Jane Doe, CEO of Acme", ["Jane Doe"]),
        ("Jane Doe (Content Manager)", ["Jane Doe"]),
        ("Jane Doe May 3, 2024", ["Jane Doe"]),
        ("Jane Doe 7 min read", ["Jane Doe"]),
        ("Jane Doe 4 August 2010", ["Jane Doe"]),
        ("Jane Doe 14/3/2025", ["Jane Doe"]),
        ("Sat, 20 Dec, 2025 - 06:36", []),
        ("Jane Doe 3/4/2025 0 Shares", ["Jane Doe"]),
        ("& Jane Doe Writer, Hardware", ["Jane Doe"]),
        ("By Jane Doe Senior Autos Reporter", ["Jane Doe"]),
        ("This post was written by Jane Doe, Head of Marketing and Community", ["Jane Doe"]),
        ("Jane Doe, Director of Research, and John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe Last updated", ["Jane Doe"]),
        ("Jane Doe Jane Doe", ["Jane Doe"]),
        ("Jane Doe, Reviewed by John Roe", ["Jane Doe"]),
        ("Written by Jane Doe Researched by John Roe", ["Jane Doe"]),
        ("Dr Anna van der Berg", ["Anna van der Berg"]),
        ("The Example Team", ["The Example Team"]),
        # a job title glued after a full name, without a comma
        ("Jane Doe Senior Research Executive", ["Jane Doe"]),
        ("Jane Doe Chief Editor", ["Jane Doe"]),
        ("Mary Ann Van Dyke", ["Mary Ann Van Dyke"]),
        # an update credit is another contributor; "Posted by" still is the author
        ("By Jane Doe Updated by John Roe", ["Jane Doe"]),
        ("By Jane Doe Tested by John Roe", ["Jane Doe"]),
        ("Posted by Jane Doe on March 3, 2024", ["Jane Doe"]),
        ("Posted by Jane Doe on 2025-12-18 in misc . Tags: foo , bar", ["Jane Doe"]),
        # an author box's bio is prose, not a byline: its towns and employers are not names
        ("Author: Jane Doe Ann lives and works in Leeds, Yorkshire, and runs daily.", []),
        ("Jane Doe is a writer who covers parks and cities", []),
        ("By Jane Doe, staff writer, and John Roe", ["Jane Doe", "John Roe"]),
        ("Byron Smith", ["Byron Smith"]),
        ("jane.doe@example.com", []),
        ("https://example.com/author/jane", []),
        ("site-admin", []),
        ("admin", []),
        ("Staff", []),
        ("By", []),
        ("Reviewed by John Roe", []),
        ("Share on Facebook", []),
        ("This is a sentence that is far too long to be anyone's name at all", []),
        ("", []),
        (None, []),
    ],
)
def test_split_authors(raw, names):
    assert split_authors(raw) == names


def test_strict_mode_wants_capitalised_names():
    assert split_authors("Jane Doe, software, laptops", strict=True) == ["Jane Doe"]
    assert split_authors("janedoe", strict=True) == []
    assert split_authors("janedoe") == ["janedoe"]  # an author field may hold a handle


@pytest.mark.parametrize("part", ["MD", "Ph.D.", "RD", "E-RYT 200", "CFP®", "M.D."])
def test_credentials(part):
    assert is_credential(part)


@pytest.mark.parametrize("part", ["Jane", "Doe", "Jane Doe"])
def test_not_credentials(part):
    assert not is_credential(part)


def test_swap_last_first():
    assert swap_last_first("Doe, Jane") == "Jane Doe"
    assert swap_last_first("Doe, Jane Q.") == "Jane Q. Doe"
    assert swap_last_first("Jane Doe, Staff Writer") == "Jane Doe, Staff Writer"


def test_normalise_name():
    assert normalise_name("  Jane   O’Doe ") == "jane o'doe"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Posted by JaneD on Friday December 19, 2025 @08:00PM", ["JaneD"]),
        ("Posted by Jane Doe on 2025-12-18 in misc", ["Jane Doe"]),
        # the first segment names nobody; the name is after the separator
        ("Dec. 19, 2025 · Jane Doe", ["Jane Doe"]),
        ("Jane Doe | Senior Writer | July 2, 2025", ["Jane Doe"]),
        ("By the Example Team", ["the Example Team"]),
        # a preposition that is part of a name phrase is not cut: it just fails strict form
        ("Insights from", []),
        ("Human in the Loop", []),
    ],
)
def test_split_authors_visible_bylines(raw, names):
    assert split_authors(raw, strict=True) == names


def test_contributors_label():
    assert split_authors("Contributors: Jane Doe", strict=True) == ["Jane Doe"]


def test_split_authors_gives_a_new_list_each_call():
    # the splits are remembered: a caller changing its list must not change the next answer
    first = split_authors("By Jane Doe and John Roe")
    first.append("Intruder")
    assert split_authors("By Jane Doe and John Roe") == ["Jane Doe", "John Roe"]
