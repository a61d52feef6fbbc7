import pytest

from transforms.metadata.organisations import byline_credits, is_organization, split_people


@pytest.mark.parametrize(
    ("name", "typed", "sites", "expected"),
    [
        ("Jane Doe", False, [], False),
        ("Mark SubbaRao", False, [], False),  # a camel-cased surname beside a first name
        ("Laura May Randell", False, [], False),
        ("Quill Harbor Staff", False, [], True),  # a staff byline
        ("The Lantern Team", False, [], True),
        ("Metro Desk", False, [], True),
        ("Team Otterline", False, [], True),
        ("The Associated Press", False, [], True),  # a wire agency as datelines print it
        ("Reuters", False, [], True),
        ("AFP", False, [], True),  # an acronym
        ("Brightmoor.com", False, [], True),  # a domain
        ("Finchwell Labs Inc", False, [], True),  # a company
        ("KettleWorks", False, ["kettleworks"], True),  # a brand named as the site
        ("MiraOkafor", False, [], False),  # camel case alone: a brand or a person's handle
        ("Pemberly", True, [], True),  # JSON-LD types it an Organization
        ("Pemberly", False, ["Pemberly"], True),  # the site's own name
        ("Jane Pemberly", False, ["janepemberly"], False),  # a personal site's owner
        ("Pemberly", False, [], False),  # a lone word with no evidence: a person's byline
    ],
)
def test_is_organization(name, typed, sites, expected):
    assert is_organization(name, typed, sites) is expected


def test_split_people_keeps_page_order():
    people, orgs = split_people(["Ann Lee", "Quill Harbor Staff", "Bo Chen", "Reuters"])
    assert people == ["Ann Lee", "Bo Chen"]
    assert orgs == ["Quill Harbor Staff", "Reuters"]


@pytest.mark.parametrize(
    ("names", "people", "orgs"),
    [
        # the publication after the people's names is their employer, not a second author
        (["Ann Lee", "Bo Chen", "The Daily Lantern"], ["Ann Lee", "Bo Chen"], []),
        # a team credited with them is a co-author
        (["Ann Lee", "Ledger Data Team"], ["Ann Lee"], ["Ledger Data Team"]),
        # an organisation alone is the byline
        (["The Associated Press"], [], ["The Associated Press"]),
    ],
)
def test_byline_credits(names, people, orgs):
    assert byline_credits(names) == (people, orgs)
