import binascii

import websocket_client as wc
from mpunit import raises

KEY = "dGhlIHNhbXBsZSBub25jZQ=="
ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 section 1.3


def ok_headers(**extra):
    h = {"upgrade": "websocket", "connection": "Upgrade", "sec-websocket-accept": ACCEPT}
    h.update(extra)
    return h


def test_accept_key_matches_the_rfc_example():
    assert wc.accept_key(KEY) == ACCEPT


def test_keys_are_16_random_bytes_in_base64_and_differ():
    a, b = wc.make_key(), wc.make_key()
    assert len(binascii.a2b_base64(a)) == 16
    assert a != b


def test_request_has_the_required_headers():
    req = wc.handshake_request("h", 8080, "/ws?x=1", KEY, False, ("chat", "v2"), {"Authorization": "Bearer t"}).decode()
    assert req.startswith("GET /ws?x=1 HTTP/1.1\r\n")
    for line in ("Host: h:8080", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: " + KEY,
                 "Sec-WebSocket-Version: 13", "Sec-WebSocket-Protocol: chat, v2", "Authorization: Bearer t"):
        assert "\r\n" + line + "\r\n" in req, line
    assert req.endswith("\r\n\r\n")


def test_host_header_omits_the_default_port_and_brackets_ipv6():
    assert b"\r\nHost: h\r\n" in wc.handshake_request("h", 443, "/", KEY, True)
    assert b"\r\nHost: [::1]:81\r\n" in wc.handshake_request("::1", 81, "/", KEY)


def test_header_injection_is_refused():
    raises(wc.ConfigError, wc.handshake_request, "h", 80, "/", KEY, False, (), {"X": "a\r\nEvil: 1"})


def test_a_good_answer_passes_and_returns_the_subprotocol():
    assert wc.check_handshake("HTTP/1.1 101 Switching Protocols", ok_headers(), KEY) is None
    assert wc.check_handshake("HTTP/1.1 101 OK", ok_headers(**{"sec-websocket-protocol": "v2"}), KEY, ("chat", "v2")) == "v2"
    assert wc.check_handshake("HTTP/1.1 101 x", ok_headers(connection="keep-alive, Upgrade"), KEY) is None


def test_bad_answers_are_refused_with_the_reason():
    cases = [
        ("HTTP/1.1 403 Forbidden", ok_headers(), "HTTP 403 Forbidden"),
        ("SSH-2.0-OpenSSH", ok_headers(), "not an HTTP response"),
        ("HTTP/1.1 101 x", ok_headers(upgrade="h2c"), "Upgrade"),
        ("HTTP/1.1 101 x", ok_headers(connection="close"), "Connection"),
        ("HTTP/1.1 101 x", ok_headers(**{"sec-websocket-accept": "AAAA"}), "Accept"),
        ("HTTP/1.1 101 x", ok_headers(**{"sec-websocket-protocol": "other"}), "subprotocol"),
        ("HTTP/1.1 101 x", ok_headers(**{"sec-websocket-extensions": "permessage-deflate"}), "extensions"),
    ]
    for status, headers, why in cases:
        e = raises(wc.HandshakeError, wc.check_handshake, status, headers, KEY)
        assert why in str(e), (why, str(e))
