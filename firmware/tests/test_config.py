import os
import sys

import websocket_client as wc
from mpunit import raises


def _write(name, text):
    with open(name, "w") as f:
        f.write(text)


def _forget(*names):
    for name in names:
        sys.modules.pop(name, None)
        try:
            os.remove(name + ".py")
        except OSError:
            pass


def test_config_overrides_and_checks():
    cfg = wc.load_config({"WS_URL": "ws://h:1/", "OUTBOX_SIZE": 3})
    assert cfg["OUTBOX_SIZE"] == 3 and cfg["PING_INTERVAL_MS"] == wc.DEFAULTS["PING_INTERVAL_MS"]
    assert "GIVE_UP_ACTION" in str(raises(wc.ConfigError, wc.load_config, {"GIVE_UP_ACTION": "explode"}))
    assert "WS_URL" in str(raises(wc.ConfigError, wc.load_config, {"WS_URL": "h:1"}))



def test_config_py_overrides_the_frozen_ws_config_which_overrides_the_defaults():
    try:
        _write("ws_config.py", "WS_URL = 'ws://frozen:1/'\nOUTBOX_SIZE = 5\n")
        _write("config.py", "WS_URL = 'ws://board:2/'\n")
        cfg = wc.load_config()
        assert cfg["WS_URL"] == "ws://board:2/" and cfg["OUTBOX_SIZE"] == 5
        assert cfg["PING_TIMEOUT_MS"] == wc.DEFAULTS["PING_TIMEOUT_MS"]
        _forget("config")
        assert wc.load_config()["WS_URL"] == "ws://frozen:1/"
    finally:
        _forget("config", "ws_config")


def test_a_broken_config_py_is_named_in_the_error():
    try:
        _write("config.py", "WS_URL = 'ws://h:1/\n")
        e = raises(wc.ConfigError, wc.load_config)
        assert "config.py" in str(e), str(e)
        _forget("config")
        _write("config.py", "import no_such_module\n")
        e = raises(wc.ConfigError, wc.load_config)
        assert "config.py" in str(e) and "no_such_module" in str(e), str(e)
        for body, words in (("WS_URL = undefined_name\n", ("NameError", "undefined_name")), ("OUTBOX_SIZE = 1 // 0\n", ("ZeroDivisionError",)),
                            ("WS_HEADERS = {'a': 1} + 2\n", ("TypeError",)), ("raise ValueError('nope')\n", ("ValueError", "nope"))):
            _forget("config")
            _write("config.py", body)
            e = raises(wc.ConfigError, wc.load_config)
            assert "config.py" in str(e) and all(w in str(e) for w in words), str(e)
    finally:
        _forget("config")


def test_ntp_host_is_a_host_or_host_and_port():
    assert wc.parse_host_port("pool.ntp.org", 123, "NTP_HOST") == ("pool.ntp.org", 123)
    assert wc.parse_host_port("127.0.0.1:12345", 123, "NTP_HOST") == ("127.0.0.1", 12345)
    for bad in ("host:", ":123", "host:99999", "host:x", 5):
        e = raises(wc.ConfigError, wc.parse_host_port, bad, 123, "NTP_HOST")
        assert "NTP_HOST" in str(e), str(e)
    e = raises(wc.ConfigError, wc.load_config, {"NTP_HOST": "ntp:0"})
    assert "NTP_HOST" in str(e), str(e)
    assert wc.load_config({"NTP_HOST": ""})["NTP_HOST"] == ""  # "" turns SNTP off
