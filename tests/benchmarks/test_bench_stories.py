"""bench_stories runs end to end on a tiny history and finds the bridging documents' links."""

from benchmarks.bench_stories import main


def test_rounds_link_the_bridging_documents(capsys):
    assert main(["--history", "300", "--new", "200", "--bridges", "0.1", "--rounds", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rounds = [line.split() for line in lines[2:]]
    assert [r[0] for r in rounds] == ["1", "2"]
    for r in rounds:
        bridging, links = int(r[1]), int(r[3])
        # each bridge holds most of two published articles: nearly all of them link two stories
        assert bridging == 20 and links >= 15
