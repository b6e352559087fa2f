# The firmware's Wi-Fi logic against a station that keeps the ESP32 port's rules
# (ports/esp32/network_wlan.c): once connect() is accepted the driver rejoins by itself after every
# loss, and connect() while it is joining raises OSError("Wifi Internal Error").
import network

import websocket_client as wc


class Station:
    def __init__(self):
        self.joining = False
        self.linked = False
        self.state = network.STAT_IDLE
        self.connects = 0

    def active(self, on=None):
        return True

    def connect(self, ssid, key):
        if self.joining:
            raise OSError("Wifi Internal Error")
        self.connects += 1
        self.joining = True
        self.state = network.STAT_CONNECTING

    def isconnected(self):
        return self.linked

    def status(self):
        return network.STAT_GOT_IP if self.linked else self.state

    def ifconfig(self):
        return ("192.168.4.23", "255.255.255.0", "192.168.4.1", "192.168.4.1")

    # what the driver does by itself
    def joined(self):
        self.joining, self.linked = False, True

    def lost(self, status=network.STAT_NO_AP_FOUND):
        self.joining, self.linked, self.state = True, False, status


_real_log = wc.log


def _wifi(log):
    cfg = {"WIFI_SSID": "lab", "WIFI_PASSWORD": "pw", "WIFI_TIMEOUT_MS": 300}
    wifi = wc.Wifi(cfg)
    wifi.wlan = Station()
    return wifi


def _logged(test):
    """Runs test(log) with the firmware's log lines collected in log instead of printed."""

    def run():
        log = []
        wc.log = lambda event, *pairs: log.append((event,) + pairs)
        try:
            test(log)
        finally:
            wc.log = _real_log

    return run


@_logged
def test_connect_is_called_once_and_a_timeout_says_the_status_the_driver_shows(log):
    wifi = _wifi(log)
    assert not wifi.connect()
    assert not wifi.connect()  # the driver is still joining: no second connect()
    assert wifi.wlan.connects == 1, wifi.wlan.connects
    events = [e[0] for e in log]
    assert events == ["wifi connecting", "wifi failed", "wifi failed"], events
    assert log[1][1:5] == ("status", network.STAT_CONNECTING, "reason", "CONNECTING"), log[1]


@_logged
def test_a_link_the_driver_restored_by_itself_is_logged_as_connected(log):
    wifi = _wifi(log)
    wifi.wlan.joined()
    assert wifi.connect()
    wifi.wlan.lost()
    assert not wifi.isconnected()
    assert not wifi.connect()
    assert log[-1][:3] == ("wifi failed", "status", network.STAT_NO_AP_FOUND), log[-1]
    wifi.wlan.joined()  # the driver rejoined while the firmware waited out its backoff
    assert wifi.isconnected()
    assert log[-1][:3] == ("wifi connected", "ip", "192.168.4.23"), log[-1]
    assert wifi.wlan.connects == 0  # the link was up from the start (a soft reboot keeps it): never connect()


@_logged
def test_a_refused_connect_is_logged_and_tried_again_later(log):
    wifi = _wifi(log)
    wifi.wlan.joining = True  # e.g. after a soft reboot, the driver still joining for the last program
    assert not wifi.connect()
    assert log[-1][:5] == ("wifi failed", "status", -1, "reason", "OSError Wifi Internal Error"), log[-1]
    wifi.wlan.joining = False
    wifi.connect()
    assert wifi.wlan.connects == 1
