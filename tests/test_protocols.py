"""The protocol table (catalog/data/protocols.yaml): label matching, encryption in transit,
the documented table, and the answers older models got before the table existed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import doc_table

from archgen.catalog import protocols
from archgen.catalog.protocols import PROTOCOLS, match_label, protocol
from archgen.catalog.thresholds import PLAINTEXT_PROTOCOLS, TLS_PROTOCOLS
from archgen.graph.facts import flow_protocol, flow_tls, plaintext_reason
from archgen.sources.loader import parse_model

ROOT = Path(__file__).resolve().parent.parent


def test_the_table_is_consistent_and_every_entry_has_a_source():
    assert protocols.problems() == []
    for p in protocols.all_protocols():
        assert p.encrypted in (True, False, "target"), p.key
        assert len(p.source) > 10, p.key


def test_the_table_holds_the_protocols_model_md_names_and_more():
    named = (
        "https http grpc grpcs postgres mysql redis rediss amqp amqps kafka mqtt mqtts smtp smtps "
        "ldap ldaps ws wss tcp tls nfs dns sftp ssh"
    ).split()
    assert set(named) <= set(PROTOCOLS)
    assert len(PROTOCOLS) >= 40


@pytest.mark.parametrize(
    "label,key",
    [
        ("https", "https"),
        ("JSON/HTTPS", "https"),
        ("XML/HTTP", "http"),
        ("XML/HTTPS", "https"),
        ("gRPC", "grpc"),
        ("HTTP/1.1 (internal)", "http"),
        ("GraphQL over HTTPS", "https"),
        ("GraphQL", "graphql"),
        ("SOAP/HTTP", "http"),
        ("PostgreSQL", "postgres"),
        ("<<redis>>", "redis"),
        ("rediss", "rediss"),
        ("RESP", "redis"),
        ("AMQP 0-9-1", "amqp"),
        ("Kafka (SASL_SSL)", "kafka"),  # first word: Kafka follows the target's tls
        ("SMTP", "smtp"),
        ("image pull", None),
        ("push notifications", None),
        ("", None),
        (None, None),
    ],
)
def test_a_label_is_matched_by_its_words(label, key):
    assert match_label(label) == key


BASE = """\
archgen: 1
name: p
provider: aws
components:
  a: {kind: container_service}
  b: {kind: container_service}
  c: {kind: postgres, tls: false}
  d: {kind: postgres}
flows:
"""


def _flow(line: str):
    model = parse_model(BASE + line + "\n")
    return model, model.flows[0]


@pytest.mark.parametrize(
    "line,encrypted",
    [
        ("  - a -> b: https", True),
        ("  - a -> b: JSON/HTTPS", True),
        ("  - a -> b: XML/HTTP", False),  # was: the target's tls (its first word is xml)
        ("  - a -> b: redis", False),
        ("  - a -> b: rediss", True),
        ("  - a -> b: amqp", False),
        ("  - a -> b: mqtt", False),
        ("  - a -> b: smtp", False),
        ("  - a -> b: grpc", False),
        ("  - a -> b: grpcs", True),
        ("  - a -> c: postgres", False),  # follows the target: c says tls: false
        ("  - a -> d: postgres", True),
        ("  - a -> c: image pull", False),  # free text: the target's tls
        ("  - a -> d: image pull", True),
        ("  - a -> b: tcp (plaintext)", False),  # a word that says so
        ("  - {from: a, to: b, label: https, tls: false}", False),  # tls always wins
        ("  - {from: a, to: b, label: http, tls: true}", True),
        ("  - {from: a, to: b, protocol: http, label: https}", False),  # protocol beats the label
        ("  - {from: a, to: b, protocol: grpc, auth: mtls}", True),  # mutual TLS is TLS
        ("  - {from: a, to: b, protocol: grpc, auth: mtls, tls: false}", False),
        ("  - {from: a, to: c, protocol: kafka}", False),
        ("  - {from: a, to: d, protocol: kafka}", True),
    ],
)
def test_a_flow_is_encrypted_as_its_protocol_says(line, encrypted):
    model, flow = _flow(line)
    assert flow_tls(model, flow) is encrypted


#: The first-word lists archgen used before the protocol table (thresholds PLAINTEXT_LABELS,
#: TLS_LABELS of the version before issue 17): a label that began with one of them must
#: get the same answer now, or an existing model's findings and Terraform would change.
OLD_PLAINTEXT = ("http", "h2c", "ws", "ftp", "telnet", "ldap", "plain", "plaintext", "cleartext", "unencrypted", "insecure")
OLD_TLS = ("https", "tls", "ssl", "wss", "grpcs", "h2", "mtls", "sftp", "ftps", "ldaps", "amqps", "mqtts")


@pytest.mark.parametrize("word", OLD_PLAINTEXT + OLD_TLS)
@pytest.mark.parametrize("target", ["c", "d"])
def test_labels_that_gave_an_answer_before_give_the_same_one(word, target):
    for label in (word, f"{word.upper()}/1.1", f"{word} (internal)"):
        model, flow = _flow(f"  - {{from: a, to: {target}, label: '{label}'}}")
        assert flow_tls(model, flow) is (word in OLD_TLS), label


def test_the_reason_a_flow_is_plaintext_quotes_its_label_or_its_protocol():
    model, flow = _flow("  - a -> b: HTTP/1.1")
    assert plaintext_reason(flow) == "over HTTP/1.1"
    model, flow = _flow("  - {from: a, to: b, protocol: redis}")
    assert plaintext_reason(flow) == "over redis"
    model, flow = _flow("  - a -> d: postgres")
    assert plaintext_reason(flow) is None
    assert flow_protocol(flow) == "postgres"


def test_the_rule_thresholds_are_the_table():
    assert set(PLAINTEXT_PROTOCOLS.value) == {p.key for p in protocols.all_protocols() if p.encrypted is False}
    assert set(TLS_PROTOCOLS.value) == {p.key for p in protocols.all_protocols() if p.encrypted is True}
    assert {"http", "redis", "amqp"} <= set(PLAINTEXT_PROTOCOLS.value)
    assert {"https", "rediss", "amqps", "tls"} <= set(TLS_PROTOCOLS.value)


def test_docs_show_the_table_as_the_data_says():
    rows = {}
    for cells in doc_table("model.md", "## Protocols", "\n## "):
        match = re.fullmatch(r"`([a-z0-9_]+)`", cells[0])
        if len(cells) == 5 and match:
            rows[match.group(1)] = cells
    assert list(rows) == list(PROTOCOLS)
    for key, (_, title, encrypted, words, port) in rows.items():
        p = protocol(key)
        assert title.startswith(p.title), key
        expected = "follows the target's `tls`" if p.follows_target else ("yes" if p.encrypted else "no")
        assert encrypted == expected, key
        assert re.findall(r"`([a-z0-9]+)`", words) == list(p.words), key
        assert port == (str(p.port) if p.port else ""), key
