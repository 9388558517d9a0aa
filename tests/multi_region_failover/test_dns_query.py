"""scripts/multi_region_failover/dns_query.py: the stdlib A query against a local UDP name server.

The stand-in server (127.0.0.1, a free port) answers like an authoritative server: the
question echoed, A records with a compressed name pointing at it, or NXDOMAIN.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import pytest

from scripts.multi_region_failover.dns_query import (
    AuthoritativeResolver,
    DnsError,
    build_query,
    parse_a_answers,
)

RECORDS = {"www.failover-lab.example.com": ["3.3.3.1", "3.3.3.2"]}


def answer_for(query: bytes) -> bytes:
    query_id = struct.unpack("!H", query[:2])[0]
    end = query.index(b"\x00", 12) + 5  # the name, its zero byte, type and class
    labels, offset = [], 12
    while query[offset]:
        labels.append(query[offset + 1 : offset + 1 + query[offset]].decode())
        offset += 1 + query[offset]
    name = ".".join(labels)
    addresses = RECORDS.get(name)
    flags = 0x8400 if addresses else 0x8403  # response, authoritative; NXDOMAIN when unknown
    header = struct.pack("!HHHHHH", query_id, flags, 1, len(addresses or []), 0, 0)
    answers = b"".join(
        b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(address) for address in addresses or []
    )
    return header + query[12:end] + answers


@pytest.fixture
def name_server() -> Iterator[int]:
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                query, client = server.recvfrom(512)
            except (TimeoutError, OSError):
                continue
            server.sendto(answer_for(query), client)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    server.close()
    thread.join(timeout=6)


def resolver(port: int, servers: tuple[str, ...] = ("ns-1.awsdns-01.org",)) -> AuthoritativeResolver:
    return AuthoritativeResolver(servers, port=port, timeout_s=1, address_of=lambda _: "127.0.0.1")


def test_the_zones_name_server_answers_the_records_addresses(name_server: int) -> None:
    assert resolver(name_server).addresses("www.failover-lab.example.com") == {"3.3.3.1", "3.3.3.2"}


def test_an_unknown_name_has_no_addresses(name_server: int) -> None:
    assert resolver(name_server).addresses("nothing.failover-lab.example.com") == frozenset()


def test_a_silent_server_is_one_line_naming_every_server_tried() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        servers = ("ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk")
        with pytest.raises(DnsError, match=r"no name server answered for www\.x\.com: ns-1.*; ns-2"):
            AuthoritativeResolver(
                servers, port=silent.getsockname()[1], timeout_s=0.2, address_of=lambda _: "127.0.0.1"
            ).addresses("www.x.com")


def test_the_query_is_one_a_question_without_recursion() -> None:
    query = build_query("www.example.com.", 0x1234)
    assert query[:12] == struct.pack("!HHHHHH", 0x1234, 0, 1, 0, 0, 0)
    assert query[12:] == b"\x03www\x07example\x03com\x00\x00\x01\x00\x01"


def test_an_answer_to_another_query_or_an_error_is_refused() -> None:
    answer = answer_for(build_query("www.failover-lab.example.com", 7))
    assert parse_a_answers(answer, 7) == {"3.3.3.1", "3.3.3.2"}
    with pytest.raises(DnsError, match="not a response to this query"):
        parse_a_answers(answer, 8)
    refused = answer[:2] + struct.pack("!H", 0x8405) + answer[4:]
    with pytest.raises(DnsError, match="error code 5"):
        parse_a_answers(refused, 7)
