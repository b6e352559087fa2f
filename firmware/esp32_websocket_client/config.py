# config.py: your settings, uploaded to the board's file system next to main.py and boot.py.
# Anything set here overrides the defaults in websocket_client.py (and a frozen ws_config.py).
# Every setting is listed in firmware/README.md ("Configuration"). Keep real credentials out of
# version control.

WIFI_SSID = "your-wifi-ssid"
WIFI_PASSWORD = "your-wifi-password"

# ws://host:port/path, or wss:// for TLS (see TLS_CA_FILE / TLS_FINGERPRINT in the README)
WS_URL = "ws://192.168.1.100:8080/"

# Optional
# WS_HEADERS = {"Authorization": "Bearer <token>"}
# WS_SUBPROTOCOLS = ("chat",)
# RECONNECT_DELAY_MS = 1000
# RECONNECT_MAX_DELAY_MS = 30000
# PING_INTERVAL_MS = 20000
# STATUS_INTERVAL_MS = 60000
