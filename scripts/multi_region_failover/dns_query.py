"""Asking DNS which addresses a name has: the zone's own name servers, or the system resolver.

The lab's zone is for a name nobody registered, so no public resolver knows it: verify and the
failover drill ask the zone's four Route 53 name servers directly (the delegation set in the
stack's NameServers output), as a resolver would after following a delegation. dnspython is
not a dependency of this project; an A query is a few dozen bytes (RFC 1035 section 4), so the
stdlib does it over UDP. Tests swap the whole `Resolver` for a stand-in (moto answers no DNS).
"""

from __future__ import annotations

import secrets
import socket
import struct
from collections.abc import Callable, Sequence
from typing import Protocol

TYPE_A = 1
CLASS_IN = 1
FLAG_RESPONSE = 0x8000
RCODE_MASK = 0x000F
RCODE_NXDOMAIN = 3
MAX_UDP_ANSWER = 4096


class DnsError(Exception):
    """No usable answer: the message names the server and what went wrong."""


class Resolver(Protocol):
    def addresses(self, name: str) -> frozenset[str]:
        """The IPv4 addresses `name` has now (empty: the name has none)."""
        ...


def build_query(name: str, query_id: int) -> bytes:
    """One A/IN question, recursion not desired (an authoritative server answers from its zone)."""
    header = struct.pack("!HHHHHH", query_id, 0, 1, 0, 0, 0)
    labels = b"".join(bytes([len(label)]) + label.encode("ascii") for label in name.rstrip(".").split("."))
    return header + labels + b"\x00" + struct.pack("!HH", TYPE_A, CLASS_IN)


def _skip_name(packet: bytes, offset: int) -> int:
    """The offset after a (possibly compressed) domain name starting at `offset`."""
    while True:
        if offset >= len(packet):
            raise DnsError("truncated name in the answer")
        length = packet[offset]
        if length & 0xC0 == 0xC0:  # a pointer ends the name (RFC 1035 4.1.4)
            return offset + 2
        if length == 0:
            return offset + 1
        offset += 1 + length


def parse_a_answers(packet: bytes, query_id: int) -> frozenset[str]:
    """The A records of the answer section; NXDOMAIN is an empty set, other errors raise."""
    if len(packet) < 12:
        raise DnsError("the answer is shorter than a DNS header")
    answer_id, flags, questions, answers, _, _ = struct.unpack("!HHHHHH", packet[:12])
    if answer_id != query_id or not flags & FLAG_RESPONSE:
        raise DnsError("the answer is not a response to this query")
    rcode = flags & RCODE_MASK
    if rcode == RCODE_NXDOMAIN:
        return frozenset()
    if rcode != 0:
        raise DnsError(f"the server answered with error code {rcode}")
    offset = 12
    for _ in range(questions):
        offset = _skip_name(packet, offset) + 4
    found = set()
    for _ in range(answers):
        offset = _skip_name(packet, offset)
        kind, klass, _, length = struct.unpack("!HHIH", packet[offset : offset + 10])
        offset += 10
        if kind == TYPE_A and klass == CLASS_IN and length == 4:
            found.add(socket.inet_ntoa(packet[offset : offset + 4]))
        offset += length
    return frozenset(found)


class AuthoritativeResolver:
    """A queries straight to the zone's name servers over UDP, the first that answers wins."""

    def __init__(
        self,
        name_servers: Sequence[str],
        *,
        port: int = 53,
        timeout_s: float = 3.0,
        address_of: Callable[[str], str] = socket.gethostbyname,
    ) -> None:
        if not name_servers:
            raise DnsError("no name servers to ask")
        self._servers = list(name_servers)
        self._port = port
        self._timeout_s = timeout_s
        self._address_of = address_of

    def addresses(self, name: str) -> frozenset[str]:
        problems = []
        for server in self._servers:
            query_id = secrets.randbelow(0x10000)
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                    sock.settimeout(self._timeout_s)
                    sock.sendto(build_query(name, query_id), (self._address_of(server), self._port))
                    packet, _ = sock.recvfrom(MAX_UDP_ANSWER)
                return parse_a_answers(packet, query_id)
            except (OSError, DnsError) as error:
                problems.append(f"{server}: {error}")
        raise DnsError(f"no name server answered for {name}: " + "; ".join(problems))


class SystemResolver:
    """The machine's own resolver, for public names such as an ALB's DNS name."""

    def addresses(self, name: str) -> frozenset[str]:
        try:
            infos = socket.getaddrinfo(name, None, family=socket.AF_INET, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise DnsError(f"{name} does not resolve: {error}") from None
        return frozenset(str(info[4][0]) for info in infos)
