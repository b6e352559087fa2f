import websocket_client as wc
from mpunit import raises


def test_ws_url_defaults_to_port_80_and_root_path():
    assert wc.parse_url("ws://example.com") == (False, "example.com", 80, "/")


def test_wss_url_defaults_to_port_443():
    assert wc.parse_url("wss://example.com/live") == (True, "example.com", 443, "/live")


def test_port_path_and_query_are_kept():
    assert wc.parse_url("ws://10.0.0.5:8080/ws/v1?token=a&b=c") == (False, "10.0.0.5", 8080, "/ws/v1?token=a&b=c")


def test_query_without_path_gets_a_root_path():
    assert wc.parse_url("ws://host:81?x=1") == (False, "host", 81, "/?x=1")


def test_scheme_is_case_insensitive():
    assert wc.parse_url("WSS://h/")[0] is True


def test_ipv6_literal():
    assert wc.parse_url("ws://[fe80::1]:9000/p") == (False, "fe80::1", 9000, "/p")


def test_bad_urls_name_what_is_wrong():
    assert "scheme" in str(raises(wc.ConfigError, wc.parse_url, "http://h/"))
    assert "port" in str(raises(wc.ConfigError, wc.parse_url, "ws://h:99999/"))
    assert "port" in str(raises(wc.ConfigError, wc.parse_url, "ws://h:abc/"))
    assert "host" in str(raises(wc.ConfigError, wc.parse_url, "ws:///path"))
    assert "ws://host" in str(raises(wc.ConfigError, wc.parse_url, "example.com"))
    assert "fragment" in str(raises(wc.ConfigError, wc.parse_url, "ws://h/#top"))
    assert "WS_HEADERS" in str(raises(wc.ConfigError, wc.parse_url, "ws://u:p@h/"))
    raises(wc.ConfigError, wc.parse_url, None)


def test_redact_hides_the_query_only():
    assert wc.redact_url("ws://h:1/p?token=s3cret") == "ws://h:1/p?<redacted>"
    assert wc.redact_url("ws://h:1/p") == "ws://h:1/p"
