"""DOT output against the seed task and against rules read in Kapacitor's source."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests import seed as seed_document
from tickgen.tick.graph import graph


def seed() -> tuple[str, str]:
    response = seed_document.post_response()
    return response["script"], response["dot"]


def edges(dot: str) -> list[tuple[str, str]]:
    return re.findall(r"^(\w+) -> (\w+)", dot, flags=re.MULTILINE)


def nodes_in_order(dot: str) -> list[str]:
    names: list[str] = []
    for parent, child in edges(dot):
        for name in (parent, child):
            if name not in names:
                names.append(name)
    return names


def test_seed_graph_has_the_nodes_and_edges_kapacitor_printed() -> None:
    script, kapacitor_dot = seed()
    ours = graph(script, "dutianze-t")
    assert ours.startswith("digraph dutianze-t {\n")
    assert ours.endswith(";\n}")
    assert sorted(edges(ours)) == sorted(edges(kapacitor_dot))
    assert set(nodes_in_order(ours)) == set(nodes_in_order(kapacitor_dot))
    # the order of the walk too (the executing view lists alert7's children the other way)
    assert [parent for parent, _ in edges(ours)] == [
        "stream0", "from1", "eval2", "eval2", "shift3", "join5", "eval6",
        "alert7", "alert7", "eval8",
    ]  # fmt: skip


def test_seed_graph_exactly() -> None:
    script, _ = seed()
    assert graph(script, "dutianze-t") == (
        "digraph dutianze-t {\n"
        "stream0 -> from1;\n"
        "from1 -> eval2;\n"
        "eval2 -> shift3;\n"
        "eval2 -> join5;\n"
        "shift3 -> join5;\n"
        "join5 -> eval6;\n"
        "eval6 -> alert7;\n"
        "alert7 -> eval8;\n"
        "alert7 -> http_out10;\n"
        "eval8 -> influxdb_out9;\n"
        "}"
    )


def test_union_links_the_others_first_then_itself() -> None:
    text = (
        "var a = stream|from().measurement('a')\n"
        "var b = stream|from().measurement('b')\n"
        "a|union(b)|httpOut('x')\n"
    )
    assert graph(text, "t") == (
        "digraph t {\n"
        "stream0 -> from1;\n"
        "stream0 -> from2;\n"
        "from2 -> union4;\n"
        "from1 -> union4;\n"
        "union4 -> http_out5;\n"
        "}"
    )


def test_deadman_adds_a_stats_source_and_a_noop_child() -> None:
    text = "stream|from().measurement('cpu')|deadman(100.0, 10s).log('/tmp/d.log')\n"
    assert graph(text, "t") == (
        "digraph t {\n"
        "stream0 -> from1;\n"
        "from1 -> noop3;\n"
        "stats2 -> derivative4;\n"
        "derivative4 -> alert5;\n"
        "}"
    )


def test_influxql_and_udf_nodes_take_their_function_name() -> None:
    text = (
        "stream|from()|window().period(1m).every(1m)|mean('v').as('v')"
        "@myUDF().opt(1)|groupBy('host')|httpOut('x')\n"
    )
    assert nodes_in_order(graph(text, "t")) == [
        "stream0", "from1", "window2", "mean3", "myUDF4", "groupby5", "http_out6",
    ]  # fmt: skip


def test_batch_task_graph() -> None:
    text = "batch|query('SELECT mean(v) FROM db.rp.m').period(1m).every(1m)|httpOut('x')\n"
    # Kapacitor leaves out the edges of the batch source (BatchNode.dot is empty)
    assert graph(text, "b") == "digraph b {\nquery1 -> http_out2;\n}"


def test_stats_is_a_new_source() -> None:
    text = "stream|from().measurement('cpu')|stats(10s)|httpOut('s')\n"
    assert graph(text, "t") == (
        "digraph t {\nstream0 -> from1;\nfrom1 -> noop3;\nstats2 -> http_out4;\n}"
    )


def test_a_long_chain_is_no_problem() -> None:
    text = "stream|from()" + "|where(lambda: TRUE)" * 1500 + "|httpOut('x')\n"
    lines = graph(text, "t").splitlines()
    assert lines[1] == "stream0 -> from1;"
    assert lines[-2] == "where1501 -> http_out1502;"


REAL_SCRIPTS = [
    "stream|from().measurement('cpu')|deadman(100.0, 10s).topic('t')\n",
    "stream|from().measurement('cpu')|stats(10s)|httpOut('s')\n",
    "var a = stream|from()\nvar b = stream|from()\nvar c = stream|from()\n"
    "a|union(b, c)|httpOut('u')\nb|join(a, c).as('b', 'a', 'c')|httpOut('j')\n",
    "var d = stream|from()|eval(lambda: 1).as('x')\nd|httpOut('a')\nd|window()|mean('x')"
    "|alert().crit(lambda: TRUE).topic('t')|influxDBOut().database('x')\n",
    "batch|query('SELECT mean(v) FROM d.r.m').period(1m).every(1m)|top(2, 'v')|httpOut('x')\n",
]


def test_graphs_match_what_the_real_kapacitor_prints(kapacitor: Any) -> None:
    script, _ = seed()
    with httpx.Client(base_url=kapacitor.url + "/kapacitor/v1", timeout=30) as client:
        for number, text in enumerate([script, *REAL_SCRIPTS]):
            task_id = f"graph-{number}"
            response = client.post(
                "/tasks", json={"id": task_id, "script": text, "dbrps": [{"db": "d", "rp": "r"}]}
            )
            client.delete(f"/tasks/{task_id}")
            assert response.status_code == 200, response.text
            assert graph(text, task_id) == response.json()["dot"]
