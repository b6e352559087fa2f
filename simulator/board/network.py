# network for the simulated ESP32: the Wi-Fi radio, access points and joining live in the host.
import _board

STA_IF = 0
AP_IF = 1

STAT_IDLE = 1000
STAT_CONNECTING = 1001
STAT_GOT_IP = 1010
STAT_BEACON_TIMEOUT = 200
STAT_NO_AP_FOUND = 201
STAT_WRONG_PASSWORD = 202
STAT_ASSOC_FAIL = 203
STAT_HANDSHAKE_TIMEOUT = 204

AUTH_OPEN = 0
AUTH_WEP = 1
AUTH_WPA_PSK = 2
AUTH_WPA2_PSK = 3
AUTH_WPA_WPA2_PSK = 4

def hostname(name=None):
    if name is None:
        return _board.call("wifi_config", "hostname")
    _board.call("wifi_set", "hostname", name)


class WLAN:
    """network.WLAN as the ESP32 port has it: a type with the 1.24+ constants, whose WLAN(STA_IF) and
    WLAN(AP_IF) are always the same two objects (MP ports/esp32/network_wlan.c:755-790, make_new)."""

    IF_STA = STA_IF
    IF_AP = AP_IF
    # wifi_auth_mode_t of ESP-IDF 5.4
    SEC_OPEN = 0
    SEC_WEP = 1
    SEC_WPA = 2
    SEC_WPA2 = 3
    SEC_WPA_WPA2 = 4
    SEC_WPA2_ENT = 5
    SEC_WPA3 = 6
    SEC_WPA2_WPA3 = 7
    SEC_WAPI = 8
    SEC_OWE = 9
    SEC_WPA3_ENT_192 = 10
    SEC_WPA3_EXT_PSK = 11
    SEC_WPA3_EXT_PSK_MIXED_MODE = 12
    SEC_DPP = 13
    SEC_WPA3_ENT = 14
    SEC_WPA2_WPA3_ENT = 15
    # wifi_ps_type_t
    PM_NONE = 0
    PM_PERFORMANCE = 1
    PM_POWERSAVE = 2

    _interfaces = {}

    def __new__(cls, interface_id=STA_IF):
        if interface_id not in (STA_IF, AP_IF):
            raise ValueError("invalid WLAN interface identifier")
        wlan = cls._interfaces.get(interface_id)
        if wlan is None:
            wlan = object.__new__(cls)
            wlan._if = interface_id
            cls._interfaces[interface_id] = wlan
        return wlan

    def __init__(self, interface_id=STA_IF):
        pass

    def active(self, is_active=None):
        return _board.call("wifi_active", self._if, is_active)

    def connect(self, ssid=None, key=None, *, bssid=None):
        if self._if != STA_IF:
            raise OSError("AP interface cannot connect")
        _board.call("wifi_connect", ssid, key)

    def disconnect(self):
        _board.call("wifi_disconnect")

    def isconnected(self):
        return _board.call("wifi_status", self._if) == STAT_GOT_IP

    def status(self, param=None):
        if param is None:
            return _board.call("wifi_status", self._if)
        if param == "rssi":
            return _board.call("wifi_rssi")
        if param == "stations":
            return []
        raise ValueError("unknown status param")

    def scan(self):
        return [
            (ssid.encode(), bytes.fromhex(bssid), channel, rssi, auth, False)
            for ssid, bssid, channel, rssi, auth in _board.call("wifi_scan")
        ]

    def ifconfig(self, config=None):
        if config is not None:
            return None
        return tuple(_board.call("wifi_ifconfig", self._if))

    def ipconfig(self, key):
        ip, mask, gw, dns = self.ifconfig()
        if key == "addr4":
            return (ip, mask)
        if key == "gw4":
            return gw
        if key == "dhcp4":
            return True
        raise ValueError("unexpected key")

    def config(self, *args, **kwargs):
        for key, value in kwargs.items():
            _board.call("wifi_set", key, value)
        if not args:
            return None
        key = args[0]
        if key == "mac":
            return _board.mac if self._if == STA_IF else bytes(_board.mac[:5]) + bytes([(_board.mac[5] + 1) & 255])
        return _board.call("wifi_config", key)
